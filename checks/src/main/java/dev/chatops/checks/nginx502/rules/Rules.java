package dev.chatops.checks.nginx502.rules;

import java.util.List;

/** The catalogue of rules: adding a family of causes is one class and one line here. */
public final class Rules {

    /** Every rule, run over every running nginx instance. */
    public static final List<Rule> ALL = List.of(new ConnectionRule(), new NoLiveRule(), new SilentLogRule(),
            new PermissionRule(), new TimeoutRule(), new ClosedEarlyRule(), new HeaderRule(), new ProtocolRule(),
            new TlsRule(), new DnsRule(), new ResourceRule(), new OomRule(), new ConfigRule());

    /**
     * The rules that can say why nginx does not start: a config that fails {@code nginx -t}, a name in it that
     * does not resolve.
     */
    public static final List<Rule> NOT_STARTING = List.of(new DnsRule(), new ConfigRule());

    private Rules() {
    }
}
