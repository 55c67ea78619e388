package io.herald.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressGuardTest {
    private final AddressGuard guard = AddressGuard.of("", false);

    @ParameterizedTest
    @ValueSource(strings = {
        "127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3", "255.255.255.255", "224.0.0.1", "239.255.255.250",
        "240.0.0.1", "192.0.2.1", "198.51.100.7", "203.0.113.9", "198.18.0.1", "192.0.0.8",
        "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "2001:db8::1", "fec0::1",
        "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "::10.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::"})
    void an_address_inside_the_network_is_denied(String literal) throws Exception {
        assertThat(guard.test(InetAddress.getByName(literal))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:2800:220:1:248:1893:25c8:1946",
        "::ffff:8.8.8.8", "64:ff9b::808:808"})
    void a_public_address_is_allowed(String literal) throws Exception {
        assertThat(guard.test(InetAddress.getByName(literal))).isTrue();
    }

    @Test
    void an_ipv4_mapped_address_kept_in_ipv6_form_is_judged_by_its_ipv4_address() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 1};
        InetAddress address = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(address).isInstanceOf(Inet6Address.class);
        assertThat(guard.test(address)).isFalse();
    }

    @Test
    void an_allowed_network_wins_over_a_denied_range_and_covers_its_mapped_forms() throws Exception {
        AddressGuard local = AddressGuard.of("127.0.0.1/32, 10.20.0.0/16", false);
        assertThat(local.test(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(local.test(InetAddress.getByName("::ffff:127.0.0.1"))).isTrue();
        assertThat(local.test(InetAddress.getByName("10.20.9.9"))).isTrue();
        assertThat(local.test(InetAddress.getByName("127.0.0.2"))).isFalse();
        assertThat(local.test(InetAddress.getByName("10.21.0.1"))).isFalse();
        assertThat(local.test(InetAddress.getByName("::1"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://127.0.0.1/hook", "http://127.0.0.1:8081/tasks/pause-dispatch", "http://2130706433/", "http://0x7f000001/",
        "http://0x7f.1/", "http://0177.0.0.1/", "http://127.1/", "http://127.0.1/", "http://0/", "http://169.254.169.254/latest",
        "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[0:0:0:0:0:ffff:a9fe:a9fe]/",
        "http://[::127.0.0.1]/", "http://[fe80::1%25eth0]/", "http://localhost:8080/", "http://LOCALHOST./",
        "http://api.localhost/", "http://127.0.0.1./", "https://user@10.0.0.1/", "http://3232235777/", "http://0xa9.0xfe.0xa9.0xfe/"})
    void a_url_with_a_literal_address_inside_the_network_is_refused(String url) {
        assertThat(guard.refusal(url)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com/hook", "http://93.184.216.34/", "http://127.0.0.1.example.com/",
        "http://0x7g.example/", "http://[2606:2800:220:1::1]/", "http://1e100.net/"})
    void a_url_with_a_name_or_a_public_address_passes_the_api_check(String url) {
        assertThat(guard.refusal(url)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/", "/relative", "http:///nohost", "not a url", "mailto:a@example.com", "http://1.2.3.4.5/"})
    void a_url_that_is_not_absolute_http_is_refused(String url) {
        assertThat(guard.refusal(url)).contains("must be an absolute http or https URL");
    }

    @Test
    void https_only_refuses_plain_http() {
        AddressGuard strict = AddressGuard.of("", true);
        assertThat(strict.refusal("http://example.com/")).contains("must be an https URL (webhook.httpsOnly)");
        assertThat(strict.refusal("https://example.com/")).isEmpty();
    }

    @Test
    void numeric_spellings_are_read_as_a_resolver_reads_them() {
        assertThat(Ipv4Literal.parse("2130706433")).hasValue(new byte[] {127, 0, 0, 1});
        assertThat(Ipv4Literal.parse("0x7f.1")).hasValue(new byte[] {127, 0, 0, 1});
        assertThat(Ipv4Literal.parse("127.0.1")).hasValue(new byte[] {127, 0, 0, 1});
        assertThat(Ipv4Literal.parse("0300.0250.1.1")).hasValue(new byte[] {(byte) 192, (byte) 168, 1, 1});
        assertThat(Ipv4Literal.parse("256.1.1.1")).isEmpty();
        assertThat(Ipv4Literal.parse("1.2.3.256")).isEmpty();
        assertThat(Ipv4Literal.parse("1.65536")).hasValue(new byte[] {1, 1, 0, 0});
        assertThat(Ipv4Literal.parse("1.16777216")).isEmpty();
        assertThat(Ipv4Literal.parse("4294967296")).isEmpty();
        assertThat(Ipv4Literal.parse("08.1.1.1")).isEmpty();
        assertThat(Ipv4Literal.parse("1..1")).isEmpty();
        assertThat(Ipv4Literal.parse("example")).isEmpty();
        assertThat(Ipv4Literal.parse("١٢٧.0.0.1")).isEmpty();
    }

    @Test
    void a_bad_network_in_the_allow_list_is_named() {
        assertThatThrownBy(() -> AddressGuard.parseList("10.0.0.0/8,example.com/24"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'example.com/24' is not a network");
        assertThatThrownBy(() -> AddressGuard.parseList("10.0.0.0/33"))
                .hasMessageContaining("prefix length is out of range");
        assertThat(AddressGuard.parseList(" 127.0.0.1/32 ,, fd00::/8 ")).containsExactly(Cidr.parse("127.0.0.1/32"), Cidr.parse("fd00::/8"));
    }

    @Test
    void a_cidr_matches_on_its_prefix_only() {
        Cidr net = Cidr.parse("100.64.0.0/10");
        assertThat(net.contains(new byte[] {100, 64, 0, 0})).isTrue();
        assertThat(net.contains(new byte[] {100, 127, (byte) 255, (byte) 255})).isTrue();
        assertThat(net.contains(new byte[] {100, (byte) 128, 0, 0})).isFalse();
        assertThat(net.contains(new byte[16])).isFalse();
        assertThat(List.of(Cidr.parse("0.0.0.0/0").toString(), Cidr.parse("fc00::/7").toString()))
                .containsExactly("0.0.0.0/0", "fc00:0:0:0:0:0:0:0/7");
    }
}
