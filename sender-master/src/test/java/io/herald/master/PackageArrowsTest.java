package io.herald.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.testing.PackageArrows;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The master's packages point one way: resources and auth above core, core above db, db above api and policy. */
class PackageArrowsTest {
    private final PackageArrows arrows = PackageArrows.of(Path.of("src/main/java"), "io.herald.master");

    @Test
    void no_two_packages_point_at_each_other() {
        assertThat(arrows.cycles()).as(arrows.toString()).isEmpty();
    }

    @Test
    void nothing_below_points_back_up() {
        assertThat(arrows.points("db", "core")).as(arrows.toString()).isFalse();
        assertThat(arrows.points("db", "auth")).as(arrows.toString()).isFalse();
        assertThat(arrows.points("auth", "resources")).as(arrows.toString()).isFalse();
        assertThat(arrows.points("core", "resources")).as(arrows.toString()).isFalse();
    }
}
