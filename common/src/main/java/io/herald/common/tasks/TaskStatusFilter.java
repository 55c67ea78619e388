package io.herald.common.tasks;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Lets a task running on this request's thread set the HTTP status. Dropwizard's TaskServlet runs tasks
 * synchronously and only ever sets a status itself when a task throws.
 */
public final class TaskStatusFilter implements Filter {
    private static final ThreadLocal<HttpServletResponse> CURRENT = new ThreadLocal<>();

    static void setStatus(int status) {
        HttpServletResponse response = CURRENT.get();
        if (response != null && !response.isCommitted()) {
            response.setStatus(status);
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        CURRENT.set((HttpServletResponse) response);
        try {
            chain.doFilter(request, response);
        } finally {
            CURRENT.remove();
        }
    }
}
