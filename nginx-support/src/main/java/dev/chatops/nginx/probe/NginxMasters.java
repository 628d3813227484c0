package dev.chatops.nginx.probe;

/**
 * The shell functions that find nginx's masters ({@code masters.sh} next to this class), put before a
 * check's own probe script. A plugin that bundles this module under another package finds the script there
 * too: it is looked up next to this class, wherever the class ends up.
 */
public final class NginxMasters {

    private static final String NAME = "masters.sh";

    private NginxMasters() {
    }

    /** The functions' text: defines them and PATH, runs nothing, prints nothing. */
    public static String functions() {
        return ProbeScripts.read(NginxMasters.class, NAME);
    }
}
