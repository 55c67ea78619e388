package io.herald.master.api;

import io.herald.common.model.Channel;
import io.herald.common.template.TemplateFormat;

/** A validated template, ready to store; every source compiles. {@code subject} may be null (not for email). */
public record NewTemplate(Channel channel, String name, String subject, String body, TemplateFormat format) {}
