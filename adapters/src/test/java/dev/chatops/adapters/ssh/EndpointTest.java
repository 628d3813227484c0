package dev.chatops.adapters.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EndpointTest {

    @Test
    void isValidAddress_namesAndIps_accepted() {
        for (String a : List.of("web-03", "web-03.example.com", "10.0.3.13", "::1", "[::1]", "fe80::1", "[2001:db8::7]")) {
            assertTrue(Endpoint.isValidAddress(a), a);
        }
    }

    @Test
    void isValidAddress_shellCharactersOptionsAndSpaces_refused() {
        for (String a : List.of("web-03;rm -rf /", "$(id)", "`id`", "-oProxyCommand=sh", "a b", "a|b", "a&b", "a>b",
                "", "web-03\n", "'web'", "web*")) {
            assertFalse(Endpoint.isValidAddress(a), a);
        }
    }

    @Test
    void new_badUser_refused() {
        assertThrows(IllegalArgumentException.class, () -> new Endpoint("web", "10.0.0.1", 22, "root;id"));
    }

    @Test
    void knownHostsName_port22Bare_otherPortsBracketed() {
        assertEquals("10.0.3.13", new Endpoint("web", "10.0.3.13", 22, "chatops").knownHostsName());
        assertEquals("[10.0.3.13]:2222", new Endpoint("web", "10.0.3.13", 2222, "chatops").knownHostsName());
        assertEquals("[::1]:2222", new Endpoint("web", "[::1]", 2222, "chatops").knownHostsName());
        assertEquals("::1", new Endpoint("web", "[::1]", 22, "chatops").bareAddress());
    }

    @Test
    void jumpHost_userHostPort_parsed() {
        assertEquals(Optional.of(new Endpoint("jump host bastion", "bastion", 22, "chatops")),
                Endpoint.jumpHost("bastion", "chatops"));
        assertEquals(Optional.of(new Endpoint("jump host bastion.example.com", "bastion.example.com", 2222, "ops")),
                Endpoint.jumpHost("ops@bastion.example.com:2222", "chatops"));
        assertEquals(Optional.empty(), Endpoint.jumpHost("bastion:99999", "chatops"));
        assertEquals(Optional.empty(), Endpoint.jumpHost("bastion;id", "chatops"));
    }

    @Test
    void keyscan_isTheCommandThatAddsTheKey() {
        assertEquals("ssh-keyscan -p 2222 -t ed25519 10.0.3.13 >> /etc/chatops/known_hosts",
                new Endpoint("web", "10.0.3.13", 2222, "chatops").keyscan("ed25519", "/etc/chatops/known_hosts"));
    }
}
