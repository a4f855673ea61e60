package io.kivaloo.proto.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The address syntax of wire.md §5. */
class KivalooAddressTest {

    @Test
    void slashMeansAUnixSocket() {
        KivalooAddress address = KivalooAddress.parse("/var/run/kvlds.sock");
        assertThat(address).isEqualTo(new KivalooAddress.Unix("/var/run/kvlds.sock", Path.of("/var/run/kvlds.sock")));
        assertThat(address.text()).isEqualTo("/var/run/kvlds.sock");
        assertThat(address).hasToString("/var/run/kvlds.sock");
    }

    @Test
    void aUnixPathMayUseAll107BytesOfSunPathButNoMore() {
        String longest = "/" + "a".repeat(106);
        assertThat(KivalooAddress.parse(longest)).isInstanceOf(KivalooAddress.Unix.class);
        assertThatIllegalArgumentException().isThrownBy(() -> KivalooAddress.parse(longest + "a"))
                .withMessageContaining("socket path too long: 108 bytes (expected: <= 107)");
    }

    @Test
    void theUnixPathLimitCountsBytesNotCharacters() {
        String multiByte = "/" + "é".repeat(53); // 54 characters, 107 bytes in UTF-8
        assertThat(KivalooAddress.parse(multiByte)).isInstanceOf(KivalooAddress.Unix.class);
        assertThatIllegalArgumentException().isThrownBy(() -> KivalooAddress.parse(multiByte + "a"))
                .withMessageContaining("108 bytes");
    }

    @Test
    void hostAndPort() {
        assertThat(KivalooAddress.parse("localhost:1234"))
                .isEqualTo(new KivalooAddress.Tcp("localhost:1234", "localhost", 1234, false));
    }

    @Test
    void bracketedIpv4Literal() {
        assertThat(KivalooAddress.parse("[127.0.0.1]:7000"))
                .isEqualTo(new KivalooAddress.Tcp("[127.0.0.1]:7000", "127.0.0.1", 7000, true));
    }

    @Test
    void bracketedIpv6Literal() {
        assertThat(KivalooAddress.parse("[::1]:65535"))
                .isEqualTo(new KivalooAddress.Tcp("[::1]:65535", "::1", 65535, true));
    }

    @Test
    void thePortFollowsTheLastColon() {
        KivalooAddress.Tcp address = (KivalooAddress.Tcp) KivalooAddress.parse("[fe80::1:2]:80");
        assertThat(address.host()).isEqualTo("fe80::1:2");
        assertThat(address.port()).isEqualTo(80);
        KivalooAddress.Tcp unbracketed = (KivalooAddress.Tcp) KivalooAddress.parse("a:b:99");
        assertThat(unbracketed.host()).isEqualTo("a:b");
        assertThat(unbracketed.port()).isEqualTo(99);
    }

    @Test
    void literalsResolveWithoutALookup() throws UnknownHostException {
        assertThat(((KivalooAddress.Tcp) KivalooAddress.parse("[127.0.0.1]:9")).resolve())
                .containsExactly(new InetSocketAddress("127.0.0.1", 9));
        assertThat(((KivalooAddress.Tcp) KivalooAddress.parse("[::1]:9")).resolve())
                .containsExactly(new InetSocketAddress("::1", 9));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1", "relative/path", "sock"})
    void aMissingPortIsAnError(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> KivalooAddress.parse(text))
                .withMessageContaining("must be /path, host:port or [ip]:port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:", "localhost:0", "localhost:65536", "localhost:abc", "localhost:-1",
            "localhost:+80", "localhost: 80", "localhost:123456", "[::1]:", "[127.0.0.1]:0"})
    void aBadPortIsAnError(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> KivalooAddress.parse(text))
                .withMessageContaining("port");
    }

    @ParameterizedTest
    @ValueSource(strings = {":80", "[]:80", "[127.0.0.1:80", "[localhost]:80", "[1.2.3]:80", "[1.2.3.256]:80", "[::g]:80"})
    void aMissingOrMalformedHostIsAnError(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> KivalooAddress.parse(text));
    }

    @Test
    void emptyOrNullIsAnError() {
        assertThatIllegalArgumentException().isThrownBy(() -> KivalooAddress.parse(""))
                .withMessage("empty socket address");
        assertThatIllegalArgumentException().isThrownBy(() -> KivalooAddress.parse(null));
    }
}
