package io.herald.common.model;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The email addresses Herald sends to: a mailbox as an SMTP relay accepts it in {@code RCPT TO}
 * (RFC 5321 section 4.1.2, with the UTF-8 of RFC 6531). No display name, no comments, no folding
 * white space, no control characters anywhere, quoted local parts only of printable characters, and a
 * domain literal ({@code a@[192.0.2.1]}) only where the operator allows them. The API refuses anything
 * else, and the worker treats the same classes as permanent failures, never retried.
 */
public final class EmailAddress {
    public static final int MAX_LOCAL_PART_BYTES = 64;
    public static final int MAX_ADDRESS_BYTES = 254;

    private static final String NON_ASCII = "\\x{A0}-\\x{D7FF}\\x{E000}-\\x{10FFFF}";
    private static final String ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\-" + NON_ASCII + "]";
    private static final Pattern DOT_STRING = Pattern.compile(ATEXT + "+(?:\\." + ATEXT + "+)*");
    private static final Pattern QUOTED = Pattern.compile("\"(?:[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E" + NON_ASCII + "]|\\\\[\\x20-\\x7E])*\"");
    private static final String LET_DIG = "[A-Za-z0-9" + NON_ASCII + "]";
    private static final String LABEL = LET_DIG + "(?:[A-Za-z0-9\\-" + NON_ASCII + "]{0,61}" + LET_DIG + ")?";
    private static final Pattern DOMAIN = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*");
    private static final Pattern DOMAIN_LITERAL = Pattern.compile("\\[[\\x21-\\x5A\\x5E-\\x7E]+\\]");

    private EmailAddress() {}

    /** What is wrong with {@code address} as a recipient, or empty when a relay would take it. */
    public static Optional<String> problem(String address, boolean allowDomainLiterals) {
        if (ControlCharacters.any(address)) {
            return Optional.of("must not contain control characters");
        }
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            return Optional.of("must be an email address such as someone@example.com");
        }
        if (utf8Length(address) > MAX_ADDRESS_BYTES) {
            return Optional.of("is longer than " + MAX_ADDRESS_BYTES + " bytes, more than SMTP allows");
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (!DOT_STRING.matcher(local).matches() && !QUOTED.matcher(local).matches()) {
            return Optional.of("must be an email address such as someone@example.com (the part before @ is not valid)");
        }
        if (utf8Length(local) > MAX_LOCAL_PART_BYTES) {
            return Optional.of("has a part before @ longer than " + MAX_LOCAL_PART_BYTES + " bytes, more than SMTP allows");
        }
        if (DOMAIN_LITERAL.matcher(domain).matches()) {
            return allowDomainLiterals ? Optional.empty()
                    : Optional.of("must name a domain, not an address literal such as [127.0.0.1] (smtp.allowDomainLiterals)");
        }
        if (!DOMAIN.matcher(domain).matches()) {
            return Optional.of("must be an email address such as someone@example.com (the domain is not valid)");
        }
        return Optional.empty();
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
