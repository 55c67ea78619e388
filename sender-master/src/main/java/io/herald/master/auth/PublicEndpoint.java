package io.herald.master.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resource served without an API key ({@link ApiKeyFilter} lets its requests through): only what a
 * stranger may reach, and that checks its own credential (the unsubscribe link's signed token).
 * AuthTest lists every such resource, so one cannot become public unnoticed.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface PublicEndpoint {}
