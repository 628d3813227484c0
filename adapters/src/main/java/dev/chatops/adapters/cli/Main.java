package dev.chatops.adapters.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/** The runnable jar's entry point. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || !args[0].equals("serve")) {
            // the command line speaks through its output; plugin loading chatter stays out of it
            Logger.getLogger("").setLevel(Level.WARNING);
        }
        System.exit(Cli.standard(System.out, System.err).run(args));
    }
}
