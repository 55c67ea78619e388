package io.herald.common.cli;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.core.cli.Cli;
import java.sql.SQLException;
import org.flywaydb.core.api.FlywayException;

/**
 * Start-up failures an operator can fix (bad configuration, unreachable database) are printed as a
 * message naming the cause, without a stack trace. Anything else is a bug and keeps its stack trace.
 */
public final class CliErrors {
    private CliErrors() {}

    /** @return whether the error was reported here; false means print it the default way */
    public static boolean report(Cli cli, Throwable e) {
        Throwable cause = e;
        while (cause != null) {
            if (cause instanceof ConfigurationException) {
                cli.getStdErr().println(cause.getMessage().trim());
                return true;
            }
            if (cause instanceof SQLException || cause instanceof FlywayException || cause instanceof IllegalArgumentException) {
                cli.getStdErr().println("herald: " + cause.getMessage());
                return true;
            }
            cause = cause.getCause();
        }
        return false;
    }
}
