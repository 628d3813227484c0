package dev.chatops.checks.nginx502.parse.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.nginx502.parse.phpfpm.PhpFpm;
import dev.chatops.checks.nginx502.parse.phpfpm.PhpFpmPool;
import dev.chatops.nginx.config.Endpoint;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Tool outputs as Debian's ss, netstat, /proc, systemctl, dmesg, auditd and php-fpm print them. */
class HostParsingTest {

    @Test
    void ss_listenersWithProgramsAndQueues() {
        Listeners l = Listeners.fromSs("""
                State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess
                LISTEN 1      0          127.0.0.1:28003      0.0.0.0:*    users:(("python3",pid=4640,fd=3))
                LISTEN 0      511        127.0.0.1:28080      0.0.0.0:*    users:(("nginx",pid=6776,fd=5),("nginx",pid=6775,fd=5))
                LISTEN 0      4096               *:3000             *:*    users:(("node",pid=900,fd=20))
                """, """
                Netid State  Recv-Q Send-Q Local Address:Port    Peer Address:PortProcess
                u_str LISTEN 0      4096   /run/php/php8.2-fpm.sock 1306218            * 0    users:(("php-fpm8.2",pid=26146,fd=6))
                """);
        assertEquals(4, l.all().size());
        Listener full = l.serving(Endpoint.tcp("127.0.0.1", 28003)).get(0);
        assertTrue(full.queueFull());
        assertEquals(List.of("python3"), full.programs());
        assertEquals(List.of("nginx"), l.serving(Endpoint.tcp("127.0.0.1", 28080)).get(0).programs());
        assertEquals(1, l.serving(Endpoint.tcp("[::1]", 3000)).size(), "* listens on both families");
        assertEquals(List.of("php-fpm8.2"), l.serving(Endpoint.unix("/run/php/php8.2-fpm.sock")).get(0).programs());
        assertTrue(l.serving(Endpoint.tcp("127.0.0.1", 3001)).isEmpty());
    }

    @Test
    void ssBothKinds_oneListingOfTcpAndUnixListeners() {
        // ss -ltxnp (iproute2 6.1): a Netid column first, unix and TCP listeners in one table
        Listeners l = Listeners.fromSs("""
                Netid State  Recv-Q Send-Q Local Address:Port    Peer Address:PortProcess
                u_str LISTEN 0      4096   /run/php/php8.2-fpm.sock 1306218            * 0    users:(("php-fpm8.2",pid=26146,fd=6))
                u_seq LISTEN 0      128    /run/app/seq.sock 1306300            * 0    users:(("app",pid=300,fd=4))
                u_str LISTEN 0      128    @/tmp/.X11-unix/X0 1306301            * 0    users:(("Xorg",pid=301,fd=5))
                tcp   LISTEN 1      0          127.0.0.1:28003        0.0.0.0:*    users:(("python3",pid=4640,fd=3))
                tcp   LISTEN 0      511        127.0.0.1:28080        0.0.0.0:*    users:(("nginx",pid=6776,fd=5),("nginx",pid=6775,fd=5))
                tcp   LISTEN 0      128            [::1]:59777           [::]:*    users:(("node",pid=900,fd=20))
                """, "");
        assertEquals(5, l.all().size(), l.all().toString());
        assertEquals(3, l.tcp().size());
        assertEquals(2, l.unix().size(), "abstract sockets have no path to connect to");
        assertEquals(List.of("php-fpm8.2"), l.serving(Endpoint.unix("/run/php/php8.2-fpm.sock")).get(0).programs());
        assertEquals(List.of("app"), l.serving(Endpoint.unix("/run/app/seq.sock")).get(0).programs());
        Listener full = l.serving(Endpoint.tcp("127.0.0.1", 28003)).get(0);
        assertTrue(full.queueFull());
        assertEquals(List.of(4640), full.pids());
        assertEquals(List.of("nginx"), l.serving(Endpoint.tcp("127.0.0.1", 28080)).get(0).programs());
        assertEquals(List.of("node"), l.serving(Endpoint.tcp("[::1]", 59777)).get(0).programs());
        assertTrue(l.serving(Endpoint.tcp("127.0.0.1", 59777)).isEmpty());
    }

    @Test
    void ipv4Wildcard_doesNotServeIpv6Loopback() {
        Listeners l = Listeners.fromSs("LISTEN 0 128 0.0.0.0:8080 0.0.0.0:* users:((\"java\",pid=1,fd=3))\n", "");
        assertEquals(1, l.serving(Endpoint.tcp("127.0.0.1", 8080)).size());
        assertTrue(l.serving(Endpoint.tcp("[::1]", 8080)).isEmpty());
    }

    @Test
    void netstat_whenThereIsNoSs() {
        Listeners l = Listeners.fromNetstat("""
                Active Internet connections (only servers)
                Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name
                tcp        0      0 127.0.0.1:9000          0.0.0.0:*               LISTEN      812/php-fpm: master
                Active UNIX domain sockets (only servers)
                Proto RefCnt Flags       Type       State         I-Node   PID/Program name     Path
                unix  2      [ ACC ]     STREAM     LISTENING     31337    900/gunicorn: maste  /run/app/gunicorn.sock
                """);
        assertEquals(List.of("php-fpm"), l.serving(Endpoint.tcp("127.0.0.1", 9000)).get(0).programs());
        assertEquals(1, l.serving(Endpoint.unix("/run/app/gunicorn.sock")).size());
    }

    @Test
    void procNet_whenThereIsNeitherSsNorNetstat() {
        Listeners l = Listeners.fromProc("""
                  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
                   0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 31001 1
                   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 31002 1
                """, "0000000000000000: 00000002 00000000 00010000 0001 01 31003 /run/app.sock\n");
        assertEquals(1, l.serving(Endpoint.tcp("127.0.0.1", 3000)).size());
        assertEquals(1, l.serving(Endpoint.tcp("[::1]", 8080)).size());
        assertEquals(1, l.serving(Endpoint.unix("/run/app.sock")).size());
    }

    @Test
    void hostFacts_systemdUnitsAndLimits() {
        HostFacts h = HostFacts.parse("""
                now=1795260464
                tz=+0100
                uptime=4098.32
                systemd=yes
                pid1=systemd
                ulimit_n=1024
                @@nginx502 resolv
                nameserver 127.0.0.53
                @@nginx502 df
                Filesystem     1024-blocks     Used Available Capacity Mounted on
                /dev/sda1         41152736 41152736         0     100% /
                @@nginx502 meminfo
                MemTotal:        2014480 kB
                MemAvailable:      31200 kB
                @@nginx502 sockstat
                TCP:   28377 (estab 41, closed 28311, orphaned 0, timewait 28311)
                @@nginx502 limits
                pid=811 Max open files            1024                 524288               files
                worker=812 Max open files            1024                 524288               files
                @@nginx502 security
                getenforce=Enforcing
                httpd_can_network_connect --> off
                @@nginx502 units
                nginx.service     loaded active running A high performance web server
                ● shop.service    loaded failed failed  Shop storefront
                @@nginx502 unit-details
                Id=shop.service
                ActiveState=failed
                ExecMainStatus=1
                InactiveEnterTimestamp=Fri 2026-11-21 10:07:12 UTC
                """);
        assertEquals(Optional.of(Instant.ofEpochSecond(1795260464)), h.now());
        assertEquals(3600, h.offset().getTotalSeconds());
        assertTrue(h.systemd());
        assertEquals(List.of("127.0.0.53"), h.nameservers());
        assertEquals(100, h.disks().get(0).usedPercent());
        assertEquals(28311, h.timeWait().getAsLong());
        assertEquals(1024L, h.nginxOpenFileLimits().get(812));
        assertEquals(Optional.of("Enforcing"), h.selinux());
        assertFalse(h.sebools().get("httpd_can_network_connect"));
        HostFacts.Unit shop = h.unit("shop").orElseThrow();
        assertTrue(shop.failed());
        assertEquals("1", shop.details().get("ExecMainStatus"));
        assertEquals(Optional.of("sudo systemctl restart shop"), h.restartCommand("shop"));
    }

    @Test
    void kernelLog_oomKillsAndDenialsWithTheirTimes() {
        Instant boot = Instant.parse("2026-11-21T10:00:00Z");
        KernelEvents k = KernelEvents.parse("""
                [ 3600.100000] node invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0
                [ 3600.200000] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/shop.service,task=node,pid=4242,uid=1000
                [ 3600.300000] Out of memory: Killed process 4242 (node) total-vm:2843716kB, anon-rss:2412044kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:4876kB oom_score_adj:0
                [ 3700.000000] audit: type=1400 audit(1795255300.412:187): apparmor="DENIED" operation="connect" profile="/usr/sbin/nginx" name="/run/php/php8.2-fpm.sock" pid=812 comm="nginx" requested_mask="wr" denied_mask="wr" fsuid=33 ouid=33
                """, true, "", """
                type=AVC msg=audit(1795255400.117:2231): avc:  denied  { name_connect } for  pid=812 comm="nginx" dest=8080 scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:http_cache_port_t:s0 tclass=tcp_socket permissive=0
                """, Optional.of(boot));
        assertEquals(1, k.oomKills().size());
        assertEquals("node", k.oomKills().get(0).program());
        assertTrue(k.oomKills().get(0).line().startsWith("Out of memory: Killed process 4242 (node)"),
                k.oomKills().get(0).line());
        assertEquals(Optional.of(Instant.parse("2026-11-21T11:00:00Z")), k.oomKills().get(0).time());
        assertEquals("/usr/sbin/nginx", k.apparmor().get(0).subject());
        assertEquals("/run/php/php8.2-fpm.sock", k.apparmor().get(0).target());
        assertEquals(Optional.of(Instant.ofEpochSecond(1795255300)), k.apparmor().get(0).time());
        assertEquals("name_connect", k.avc().get(0).operation());
        assertEquals("port 8080", k.avc().get(0).target());
        KernelEvents denied = KernelEvents.parse("", false, "dmesg: read kernel buffer failed: Operation not permitted", "",
                Optional.empty());
        assertTrue(denied.problems().get(0).contains("Operation not permitted"), denied.problems().toString());
    }

    @Test
    void phpFpm_poolsKeepTheLineOfEachSetting() {
        PhpFpm fpm = PhpFpm.parse("""
                @@nginx502 processes
                  812     1 root     php-fpm: master process (/etc/php/8.2/fpm/php-fpm.conf)
                  813   812 www-data php-fpm: pool www
                  814   812 www-data php-fpm: pool www
                @@nginx502 conf path=/etc/php/8.2/fpm/php-fpm.conf
                @@nginx502 file path=/etc/php/8.2/fpm/php-fpm.conf
                13:[global]
                26:error_log = /var/log/php8.2-fpm.log
                145:include=/etc/php/8.2/fpm/pool.d/*.conf
                @@nginx502 file path=/etc/php/8.2/fpm/pool.d/www.conf
                4:[www]
                28:user = www-data
                41:listen = /run/php/php8.2-fpm.sock
                53:listen.owner = www-data
                127:pm.max_children = 5
                @@nginx502 log path=/var/log/php8.2-fpm.log
                [21-Nov-2026 10:52:54] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it
                @@nginx502 log-window total=1 older=0
                """);
        assertTrue(fpm.running("/etc/php/8.2/fpm/php-fpm.conf"));
        assertEquals(2, fpm.workers().get("www"));
        PhpFpmPool www = fpm.pools().get(0);
        assertEquals("www", www.name());
        assertEquals(Optional.of(5), www.maxChildren());
        assertEquals("/etc/php/8.2/fpm/pool.d/www.conf:127", www.setting("pm.max_children").orElseThrow().at().toString());
        assertEquals("/etc/php/8.2/fpm/pool.d/www.conf:4", www.at().toString());
        assertEquals("php8.2-fpm", www.serviceName());
        assertEquals(1, fpm.maxChildrenWarnings().size());
        assertEquals(1, fpm.listeningOn("/run/php/php8.2-fpm.sock").size());
    }
}
