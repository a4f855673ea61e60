package io.kivaloo.proto.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kivaloo.proto.wire.ProtocolException;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** The one policy for a failing peer connection: WARN without a stack, DEBUG for I/O, ERROR with the stack. */
class PeerFailureLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("PeerFailureLogTest");
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final PeerFailureLog failures = new PeerFailureLog(logger, "/10.0.0.1:4242");

    @BeforeEach
    void capture() {
        logger.setLevel(Level.DEBUG);
        logger.setAdditive(false);
        events.start();
        logger.addAppender(events);
    }

    @AfterEach
    void release() {
        logger.detachAppender(events);
    }

    @Test
    void protocolViolationIsOneWarnLineWithPeerAndNoStack() {
        failures.failed(new ProtocolException("header CRC mismatch"));

        assertThat(events.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage())
                    .isEqualTo("closing connection: protocol violation peer=/10.0.0.1:4242 reason=header CRC mismatch");
            assertThat(e.getThrowableProxy()).isNull();
        });
    }

    @Test
    void refusedRequestIsTheSameLine() {
        failures.protocolViolation("APPEND block length 7 (expected: 4096)");

        assertThat(events.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("peer=/10.0.0.1:4242", "reason=APPEND block length 7");
        });
    }

    @Test
    void ioErrorIsDebug() {
        failures.failed(new IOException("Connection reset by peer"));

        assertThat(events.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(e.getFormattedMessage()).contains("I/O error", "peer=/10.0.0.1:4242", "Connection reset by peer");
        });
    }

    @Test
    void anythingElseIsAnErrorWithItsStack() {
        failures.failed(new IllegalStateException("bug"));

        assertThat(events.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(e.getFormattedMessage()).isEqualTo("closing connection: unexpected failure peer=/10.0.0.1:4242");
            assertThat(e.getThrowableProxy().getClassName()).isEqualTo(IllegalStateException.class.getName());
        });
    }

    @Test
    void aPeerWithoutAnAddressIsNamedForItsKind() {
        EmbeddedChannel channel = new EmbeddedChannel();
        try {
            // EmbeddedChannel's remote address prints as "embedded"; a Unix-socket client's prints empty.
            assertThat(PeerFailureLog.peerName(channel)).isEqualTo("embedded");
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
