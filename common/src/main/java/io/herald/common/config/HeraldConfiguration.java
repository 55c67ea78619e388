package io.herald.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.setup.AdminFactory;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one configuration file both services read. Each service uses the sections it needs; every value
 * can be overridden from the environment (see config.yml).
 */
public class HeraldConfiguration extends Configuration {
    /** Names this node in logs, in ZooKeeper and in the database. Empty: role, host and pid. */
    @NotNull
    @Pattern(regexp = "[a-zA-Z0-9_.:-]{0,100}", message = "must be at most 100 letters, digits or _.:-")
    @JsonProperty
    public String nodeId = "";

    @Valid @NotNull @JsonProperty public DatabaseConfig database = new DatabaseConfig();

    @Valid @NotNull @JsonProperty public ZooKeeperConfig zookeeper = new ZooKeeperConfig();

    @Valid @NotNull @JsonProperty public MasterConfig master = new MasterConfig();

    @Valid @NotNull @JsonProperty public WorkerConfig worker = new WorkerConfig();

    @Valid @NotNull @JsonProperty public SmtpConfig smtp = new SmtpConfig();

    @Valid @NotNull @JsonProperty public WebhookConfig webhook = new WebhookConfig();

    @Valid @NotNull @JsonProperty public ApiConfig api = new ApiConfig();

    @Valid @NotNull @JsonProperty public TemplatesConfig templates = new TemplatesConfig();

    @Valid @NotNull @JsonProperty public SuppressionConfig suppression = new SuppressionConfig();

    @Valid @NotNull @JsonProperty public UnsubscribeConfig unsubscribe = new UnsubscribeConfig();

    @Valid @NotNull private AdminConfig admin = new AdminConfig();

    /** Dropwizard's {@code admin} section, read as Herald's, which adds the admin port's token and hosts. */
    @Override
    @JsonProperty("admin")
    public AdminConfig getAdminFactory() {
        return admin;
    }

    @Override
    @JsonProperty("admin")
    @JsonDeserialize(as = AdminConfig.class)
    public void setAdminFactory(AdminFactory factory) {
        this.admin = (AdminConfig) factory;
        super.setAdminFactory(factory);
    }

    public AdminConfig admin() {
        return admin;
    }

    @Valid @NotNull @JsonProperty public RetentionConfig retention = new RetentionConfig();

    /** A callback's claim must outlast its HTTP request, or a slow receiver would get it twice. */
    @ValidationMethod(message = "worker.callbackLease must be longer than webhook.requestTimeout")
    public boolean isCallbackLeaseLongerThanRequests() {
        return worker == null || webhook == null || worker.callbackLease == null || webhook.requestTimeout == null
                || worker.callbackLease.toMilliseconds() > webhook.requestTimeout.toMilliseconds();
    }

    /**
     * Each channel plug-in's own section, {@code channels.<name>:}, bound to the plug-in's settings type and
     * validated at start-up (io.herald.common.channel.Channels); a section no plug-in claims stops the node.
     */
    @NotNull @JsonProperty public Map<String, JsonNode> channels = new LinkedHashMap<>();

    @Valid @NotNull @JsonProperty public PolicyConfig policy = new PolicyConfig();

    @Valid @NotNull @JsonProperty public PrometheusConfig prometheus = new PrometheusConfig();

    @ValidationMethod(message = "master.stalledTransactionTimeout must be shorter than zookeeper.sessionTimeout")
    public boolean isStalledTransactionTimeoutBelowSessionTimeout() {
        return master == null || zookeeper == null
                || master.stalledTransactionTimeout.toMilliseconds() < zookeeper.sessionTimeout.toMilliseconds();
    }
}
