package io.herald.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.concurrent.TimeUnit;

/** The MySQL (or MariaDB) connection pool. */
public class DatabaseConfig {
    @NotNull
    @Pattern(regexp = "jdbc:mysql://.+", message = "must be a MySQL JDBC URL (jdbc:mysql://host:port/database)")
    @JsonProperty
    public String url = "jdbc:mysql://127.0.0.1:3306/herald";

    @NotNull @JsonProperty public String user = "root";

    @NotNull @JsonProperty public String password = "";

    @Min(2) @Max(200) @JsonProperty public int maximumPoolSize = 12;

    @MinDuration(value = 250, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration connectionTimeout = Duration.seconds(5);

    /**
     * Longest wait for any answer from the server once connected. Without it, a connection whose packets
     * vanish (a partition, a failed switch) blocks its caller forever, and a leader in that state never
     * notices that it should step down. Every statement Herald runs is short.
     */
    @MinDuration(value = 250, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration socketTimeout = Duration.seconds(30);
}
