package dev.chatops.adapters.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SudoCommandTest {

    @Test
    void parse_programWithFixedArguments_accepted() {
        SudoCommand c = SudoCommand.parse("ss -ltnp").orElseThrow();

        assertEquals("ss", c.program());
        assertEquals(List.of("-ltnp"), c.arguments());
        assertEquals("sudo -n ss -ltnp", c.commandLine());
    }

    @Test
    void parse_anythingAShellWouldInterpret_refused() {
        for (String command : List.of("ps aux | grep nginx", "nginx -T; id", "cat /etc/shadow > /tmp/x",
                "tail $(ls)", "ls `id`", "ls *", "a && b", "-n ls", "nginx  -T", " nginx -T", "",
                "ls ~root", "ls\nid", "cat /var/log/nginx/error.log &")) {
            assertEquals(Optional.empty(), SudoCommand.parse(command), command);
        }
    }

    @Test
    void sudoersLine_exactArguments() {
        assertEquals("chatops ALL=(root) NOPASSWD: /usr/sbin/nginx -T",
                SudoCommand.parse("nginx -T").orElseThrow().sudoersLine("chatops", "/usr/sbin/nginx"));
        assertEquals("chatops ALL=(root) NOPASSWD: /usr/bin/ss -lxnp",
                SudoCommand.parse("ss -lxnp").orElseThrow().sudoersLine("chatops", "/usr/bin/ss"));
    }

    @Test
    void sudoersLine_noArguments_allowsOnlyNone() {
        // a bare command in sudoers would allow it with any arguments; "" allows none
        assertEquals("chatops ALL=(root) NOPASSWD: /usr/sbin/getenforce \"\"",
                SudoCommand.parse("getenforce").orElseThrow().sudoersLine("chatops", "/usr/sbin/getenforce"));
    }

    @Test
    void sudoersLine_specialCharactersEscaped() {
        assertEquals("chatops ALL=(root) NOPASSWD: /usr/bin/journalctl -u nginx --since\\=-15min -o short-iso\\,x",
                SudoCommand.parse("journalctl -u nginx --since=-15min -o short-iso,x").orElseThrow()
                        .sudoersLine("chatops", "/usr/bin/journalctl"));
    }

    @Test
    void refused_recognisesSudosWaysOfSayingNo() {
        assertTrue(SudoCommand.refused("sudo: a password is required\n"));
        assertTrue(SudoCommand.refused("Sorry, user chatops is not allowed to execute '/usr/sbin/nginx -x' as root on web-03.\n"));
        assertTrue(SudoCommand.refused("chatops is not in the sudoers file.  This incident will be reported.\n"));
        assertTrue(SudoCommand.refused("sudo: sorry, you must have a tty to run sudo\n"));
        assertTrue(SudoCommand.wantsTty("sudo: sorry, you must have a tty to run sudo\n"));
        assertFalse(SudoCommand.refused("nginx: [emerg] open() \"/etc/nginx/nginx.conf\" failed (13: Permission denied)\n"));
    }

    @Test
    void parse_singleQuotedPlainWords_acceptedWithoutTheQuotes() {
        SudoCommand c = SudoCommand.parse("'/usr/sbin/nginx' -T -p '/run/lab/nginx' -c '/run/lab/nginx/nginx.conf'")
                .orElseThrow();

        assertEquals("/usr/sbin/nginx", c.program());
        assertEquals(List.of("-T", "-p", "/run/lab/nginx", "-c", "/run/lab/nginx/nginx.conf"), c.arguments());
        assertEquals("sudo -n /usr/sbin/nginx -T -p /run/lab/nginx -c /run/lab/nginx/nginx.conf", c.commandLine());
    }

    @Test
    void parse_quotedWordHidingShellSyntax_refused() {
        for (String command : List.of("nginx -T '-c;id'", "nginx '$(id)'", "nginx 'a b'", "nginx ''\''x'")) {
            assertEquals(Optional.empty(), SudoCommand.parse(command), command);
        }
    }
}
