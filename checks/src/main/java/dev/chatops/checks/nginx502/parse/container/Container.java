package dev.chatops.checks.nginx502.parse.container;

import static java.util.Objects.requireNonNull;

import dev.chatops.checks.nginx502.fix.Words;
import java.util.regex.Pattern;

/**
 * The container an nginx master runs in, as the root helper named it from the runtime's own files: every
 * part validated again here (the helper's output is host data), empty when unknown.
 *
 * @param runtime   what its cgroup names: docker, containerd, cri-containerd, crio, libpod, kubepods
 * @param id        its id, 12 to 64 hex digits
 * @param name      Docker's container name ({@code shop-web-1})
 * @param project   the Compose project label
 * @param service   the Compose service label
 * @param namespace the Kubernetes namespace
 * @param pod       the Kubernetes pod
 * @param container the container's name in its pod
 */
public record Container(String runtime, String id, String name, String project, String service, String namespace,
                        String pod, String container) {

    private static final Pattern RUNTIME = Pattern.compile("docker|containerd|cri-containerd|crio|libpod|kubepods");
    private static final Pattern ID = Pattern.compile("[0-9a-f]{12,64}");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");
    private static final Pattern K8S = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");

    public Container {
        runtime = valid(RUNTIME, runtime);
        id = valid(ID, id);
        name = valid(NAME, name);
        project = valid(NAME, project);
        service = valid(NAME, service);
        namespace = valid(K8S, namespace);
        pod = valid(K8S, pod);
        container = valid(K8S, container);
    }

    private static String valid(Pattern p, String value) {
        requireNonNull(value, "value is null");
        return p.matcher(value).matches() ? value : "";
    }

    public boolean kubernetes() {
        return !pod.isEmpty() && !namespace.isEmpty();
    }

    /** How people know it: {@code docker container shop-web-1}, {@code pod shop/web-7d9f (container nginx)}. */
    public String label() {
        if (kubernetes()) {
            return "pod " + namespace + "/" + pod + (container.isEmpty() ? "" : " (container " + container + ")");
        }
        if (!name.isEmpty()) {
            return "docker container " + name;
        }
        return id.isEmpty() ? "a container" : "container " + id.substring(0, 12);
    }

    /** The name a command takes, as one shell word; the short id when there is no name. */
    public String word() {
        return !name.isEmpty() ? Words.word(name) : id.isEmpty() ? "<CONTAINER>" : id.substring(0, 12);
    }

    /** What restarts it: {@code docker restart NAME}, the Compose service, or the pod. */
    public String restartCommand() {
        if (kubernetes()) {
            return "kubectl -n " + Words.word(namespace) + " delete pod " + Words.word(pod)
                    + "    # its controller starts a new one";
        }
        if (!service.isEmpty() && !project.isEmpty()) {
            return "docker compose -p " + Words.word(project) + " restart " + Words.word(service);
        }
        return (runtime.equals("libpod") ? "podman" : "docker") + " restart " + word();
    }

    /** Its nginx run inside it with {@code action} ({@code -s reload}, {@code -t}). */
    public String nginxCommand(String action) {
        if (kubernetes()) {
            return "kubectl -n " + Words.word(namespace) + " exec " + Words.word(pod)
                    + (container.isEmpty() ? "" : " -c " + Words.word(container)) + " -- nginx " + action;
        }
        return (runtime.equals("libpod") ? "podman" : "docker") + " exec " + word() + " nginx " + action;
    }
}
