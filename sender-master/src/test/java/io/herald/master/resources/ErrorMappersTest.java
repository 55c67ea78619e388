package io.herald.master.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.master.api.ErrorResponse;
import jakarta.ws.rs.core.Response;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** The caller's mistakes found by the database are 4xx; only the database being away is a 503. */
class ErrorMappersTest {
    private final ErrorMappers.DatabaseUnavailable mapper = new ErrorMappers.DatabaseUnavailable();

    @Test
    void a_constraint_violation_is_409_naming_the_request_never_503() {
        Response response = mapper.toResponse(new SQLIntegrityConstraintViolationException("Duplicate entry", "23000", 1062));
        assertThat(response.getStatus()).isEqualTo(409);
        assertThat(response.getHeaderString("Retry-After")).isNull();
        assertThat(((ErrorResponse) response.getEntity()).field()).isEqualTo("$");
    }

    @Test
    void data_the_database_cannot_store_is_400() {
        assertThat(mapper.toResponse(new SQLDataException("Data too long", "22001", 1406)).getStatus()).isEqualTo(400);
    }

    @Test
    void an_unreachable_database_is_503_with_retry_after() {
        Response response = mapper.toResponse(new SQLTransientConnectionException("Connection is not available", "08S01"));
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(mapper.toResponse(new SQLException("no state")).getStatus()).isEqualTo(503);
    }
}
