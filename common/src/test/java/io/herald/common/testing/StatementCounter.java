package io.herald.common.testing;

import com.mysql.cj.MysqlConnection;
import com.mysql.cj.Query;
import com.mysql.cj.interceptors.QueryInterceptor;
import com.mysql.cj.log.Log;
import com.mysql.cj.protocol.Resultset;
import com.mysql.cj.protocol.ServerSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Records every statement Connector/J sends (its {@code queryInterceptors} hook), session settings and
 * commits included: what the server's {@code Com_*} counters would count, for this JVM's connections only.
 */
public final class StatementCounter implements QueryInterceptor {
    private static final List<String> SENT = new ArrayList<>();

    /** The JDBC URL parameter that installs this counter. */
    public static String urlParameter() {
        return "queryInterceptors=" + StatementCounter.class.getName();
    }

    public static synchronized void reset() {
        SENT.clear();
    }

    public static synchronized List<String> sent() {
        return List.copyOf(SENT);
    }

    @Override
    public QueryInterceptor init(MysqlConnection connection, Properties properties, Log log) {
        return this;
    }

    @Override
    public <T extends Resultset> T preProcess(Supplier<String> sql, Query query) {
        synchronized (StatementCounter.class) {
            SENT.add(sql.get());
        }
        return null;
    }

    @Override
    public boolean executeTopLevelOnly() {
        return true;
    }

    @Override
    public void destroy() {}

    @Override
    public <T extends Resultset> T postProcess(Supplier<String> sql, Query query, T result, ServerSession session) {
        return null;
    }
}
