package io.herald.tools.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.tools.cli.Args.UsageException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class UpOptionsTest {
    @Test
    void defaults_are_the_ports_the_readme_names() {
        UpOptions o = UpOptions.parse(new String[] {"--root", "/srv/herald"});
        assertThat(o.zooKeeperPort).isEqualTo(2181);
        assertThat(o.work).isEqualTo(Path.of("/srv/herald/.herald/local"));
        assertThat(o.nodes()).containsExactly(new NodeSpec("master-1", true, 8080), new NodeSpec("master-2", true, 8082),
                new NodeSpec("worker-1", false, 8090), new NodeSpec("worker-2", false, 8092));
    }

    @Test
    void the_first_port_moves_every_node() {
        UpOptions o = UpOptions.parse(new String[] {"--first-port", "18080", "--zk-port", "12181", "--work", "/tmp/up"});
        assertThat(o.zooKeeperPort).isEqualTo(12181);
        assertThat(o.work).isEqualTo(Path.of("/tmp/up"));
        assertThat(o.nodes()).extracting(NodeSpec::api).containsExactly(18080, 18082, 18090, 18092);
    }

    @Test
    void bad_ports_are_one_line_errors() {
        assertThatThrownBy(() -> UpOptions.parse(new String[] {"--zk-port", "70000"})).isInstanceOf(UsageException.class)
                .hasMessage("a port is at most 65535, not 70000");
        assertThatThrownBy(() -> UpOptions.parse(new String[] {"--first-port", "65530"})).isInstanceOf(UsageException.class)
                .hasMessageContaining("--first-port must leave room");
        assertThatThrownBy(() -> UpOptions.parse(new String[] {"--first-port", "x"})).isInstanceOf(UsageException.class)
                .hasMessage("--first-port must be a positive whole number, not 'x'");
        assertThatThrownBy(() -> UpOptions.parse(new String[] {"--nodes", "3"})).isInstanceOf(UsageException.class)
                .hasMessage("unknown option '--nodes'; see bin/herald up --help");
    }
}
