package io.herald.common.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The address guard on hostile URLs and addresses (README, "Fuzzing"): it never throws, never asks DNS,
 * and judges an IPv4 address the same in every form an IPv6 address can carry it.
 */
class AddressGuardFuzzTest {
    private static final AddressGuard GUARD = AddressGuard.of("", false);

    @FuzzTest(maxDuration = "10s")
    void any_url_or_address_is_judged_consistently(FuzzedDataProvider data) throws Exception {
        byte[] v4 = data.consumeBytes(4);
        String url = data.consumeRemainingAsString();
        GUARD.refusal(url);
        if (v4.length == 4) {
            InetAddress ipv4 = InetAddress.getByAddress(v4);
            boolean allowed = GUARD.test(ipv4);
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(v4, 0, mapped, 12, 4);
            assertThat(GUARD.test(Inet6Address.getByAddress(null, mapped, -1))).isEqualTo(allowed);
            String dotted = ipv4.getHostAddress();
            assertThat(GUARD.refusal("http://" + dotted + "/").isEmpty()).isEqualTo(allowed);
            long decimal = Integer.toUnsignedLong(java.nio.ByteBuffer.wrap(v4).getInt());
            assertThat(Ipv4Literal.parse(Long.toString(decimal))).hasValue(v4);
            assertThat(Ipv4Literal.parse("0x" + Long.toHexString(decimal))).hasValue(v4);
        }
    }
}
