package io.herald.common.cli;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.herald.common.config.HeraldConfiguration;
import io.herald.common.db.Database;
import io.herald.common.db.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.flywaydb.core.api.output.MigrateResult;

/** {@code db migrate [--create-database] config.yml}: applies the schema; a second run changes nothing. */
public final class DbCommand extends ConfiguredCommand<HeraldConfiguration> {
    public DbCommand() {
        super("db", "Manages Herald's database schema");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("action").choices("migrate").help("migrate: apply pending migrations");
        subparser.addArgument("--create-database")
                .action(Arguments.storeTrue())
                .dest("createDatabase")
                .help("create the database named in database.url if it does not exist");
        super.configure(subparser);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (!CliErrors.report(cli, e)) {
            super.onError(cli, namespace, e);
        }
    }

    @Override
    protected void run(Bootstrap<HeraldConfiguration> bootstrap, Namespace namespace, HeraldConfiguration config)
            throws Exception {
        if (Boolean.TRUE.equals(namespace.getBoolean("createDatabase"))) {
            createDatabase(config);
        }
        try (Database database = new Database(config.database, "herald-migrate")) {
            MigrateResult result = database.migrate();
            System.out.printf("schema at version %s (%d migration(s) applied)%n",
                    result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion,
                    result.migrationsExecuted);
        }
    }

    private static void createDatabase(HeraldConfiguration config) throws SQLException {
        DatabaseUrl url = DatabaseUrl.parse(config.database.url);
        try (Connection connection = DriverManager.getConnection(url.serverUrl(), config.database.user, config.database.password);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS `" + url.database() + "` CHARACTER SET utf8mb4");
        }
    }
}
