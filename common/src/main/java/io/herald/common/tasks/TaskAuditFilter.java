package io.herald.common.tasks;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit line of every admin task a node runs, whoever asked (curl, the console, a master on the
 * console's behalf): the task, its parameters, the caller's address and the answer's status, logged
 * once the task has answered. Values of parameters that carry a credential ({@code key}) are not logged.
 */
public final class TaskAuditFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(TaskAuditFilter.class);
    private static final Set<String> SECRET = Set.of("key", "token", "secret");

    private final String nodeId;

    public TaskAuditFilter(String nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        try {
            chain.doFilter(req, res);
        } finally {
            LOG.info("[{}] admin {} {} from {} answered {}", nodeId, request.getRequestURI(), parameters(request.getParameterMap()),
                    request.getRemoteAddr(), response.getStatus());
        }
    }

    static String parameters(Map<String, String[]> parameters) {
        Map<String, String> shown = new TreeMap<>();
        parameters.forEach((name, values) -> shown.put(name, SECRET.contains(name) ? "(not logged)" : String.join(",", values)));
        return shown.toString();
    }
}
