package dev.chatops.checks.nginx502.rules;

import java.util.List;

/** One family of causes: looks at an instance's incident (and the host) and says which causes it sees. */
interface Rule {

    List<Finding> apply(Incident incident);
}
