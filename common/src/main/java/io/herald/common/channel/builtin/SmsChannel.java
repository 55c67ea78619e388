package io.herald.common.channel.builtin;

import io.herald.common.channel.ChannelPlugin;
import io.herald.common.channel.ChannelSender;
import io.herald.common.channel.ChannelServices;
import io.herald.common.channel.ChannelSetup;
import io.herald.common.channel.Pacer;
import io.herald.common.channel.TargetCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code sms}: a Twilio-compatible Messages API ({@link SmsSender}). A target is a phone number in E.164:
 * {@code +}, a country code that does not start with 0, at most 15 digits in all.
 */
public final class SmsChannel implements ChannelPlugin {
    static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");

    @Override
    public String name() {
        return "sms";
    }

    @Override
    public Class<?> settingsType() {
        return SmsSettings.class;
    }

    @Override
    public List<String> problems(ChannelSetup setup) {
        SmsSettings s = setup.settings(SmsSettings.class);
        List<String> problems = new ArrayList<>();
        if (s.configured()) {
            if (s.authToken.isEmpty()) {
                problems.add("authToken is required with an accountSid");
            }
            if (!E164.matcher(s.from).matches()) {
                problems.add("from must be a phone number in E.164 form such as +15551234567, not '" + s.from + "'");
            }
        }
        return problems;
    }

    @Override
    public Optional<String> unavailable(ChannelSetup setup) {
        return setup.settings(SmsSettings.class).configured() ? Optional.empty() : Optional.of("channels.sms.accountSid is not set");
    }

    @Override
    public TargetCheck targets(ChannelSetup setup) {
        return target -> E164.matcher(target).matches() ? Optional.empty()
                : Optional.of("must be a phone number in E.164 form: + and up to 15 digits, such as +15551234567");
    }

    @Override
    public ChannelSender open(ChannelSetup setup, ChannelServices services) {
        SmsSettings s = setup.settings(SmsSettings.class);
        // No pace configured: a pacer that never makes a send wait.
        Pacer pacer = s.ratePerSecond > 0 ? services.pacer("sms", s.ratePerSecond) : Pacer.unpaced();
        PacedPost paced = new PacedPost(pacer, s.maxPaceWait(), "sms", services.workerId());
        return new SmsSender(s, services.http(), paced);
    }
}
