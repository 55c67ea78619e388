package io.herald.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.testing.PackageArrows;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The worker's packages point one way: the pipeline's ports live in core, and db, channel, callback implement them. */
class PackageArrowsTest {
    private final PackageArrows arrows = PackageArrows.of(Path.of("src/main/java"), "io.herald.worker");

    @Test
    void no_two_packages_point_at_each_other() {
        assertThat(arrows.cycles()).as(arrows.toString()).isEmpty();
    }

    @Test
    void core_points_at_no_store_and_no_channel() {
        assertThat(arrows.points("core", "db")).as(arrows.toString()).isFalse();
        assertThat(arrows.points("core", "channel")).as(arrows.toString()).isFalse();
    }
}
