package io.herald.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApplicationLabelsTest {
    @Test
    void the_first_applications_up_to_the_cap_keep_their_name_for_good_and_the_rest_are_other() {
        ApplicationLabels labels = new ApplicationLabels(2);

        assertThat(labels.of("billing")).isEqualTo("billing");
        assertThat(labels.of("alerts")).isEqualTo("alerts");
        assertThat(labels.of("chatty")).isEqualTo(ApplicationLabels.OTHER);
        assertThat(labels.of("billing")).isEqualTo("billing");
        assertThat(labels.of("alerts")).isEqualTo("alerts");
        assertThat(labels.of("another")).isEqualTo(ApplicationLabels.OTHER);
    }

    @Test
    void a_cap_below_one_is_refused() {
        assertThatThrownBy(() -> new ApplicationLabels(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
