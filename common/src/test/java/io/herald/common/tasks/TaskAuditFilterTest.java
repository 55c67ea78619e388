package io.herald.common.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskAuditFilterTest {
    @Test
    void parameters_are_logged_sorted_with_every_value_but_credentials() {
        Map<String, String[]> parameters = new LinkedHashMap<>();
        parameters.put("name", new String[] {"billing"});
        parameters.put("key", new String[] {"hk_secret"});
        parameters.put("id", new String[] {"1", "2"});
        assertThat(TaskAuditFilter.parameters(parameters)).isEqualTo("{id=1,2, key=(not logged), name=billing}");
    }
}
