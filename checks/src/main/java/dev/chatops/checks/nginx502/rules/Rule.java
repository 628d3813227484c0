package dev.chatops.checks.nginx502.rules;

import dev.chatops.checks.nginx502.finding.CauseId;
import dev.chatops.checks.nginx502.finding.Finding;
import dev.chatops.checks.nginx502.incident.Incident;
import java.util.List;
import java.util.Set;

/** One family of causes: looks at an instance's incident (and the host) and says which causes it sees. */
public interface Rule {

    /** The causes this rule can name; every finding it returns has one of these ids. */
    Set<CauseId> produces();

    List<Finding> apply(Incident incident);
}
