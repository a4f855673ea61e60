package io.kivaloo.tests.durability;

import io.kivaloo.proto.kvlds.Key;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WriteLedgerTest {

    private static final Key K = Key.of("k");

    @Test
    void acknowledgedValueMustBeFound() {
        WriteLedger ledger = new WriteLedger();
        ledger.acknowledged(K, ledger.sent(K, Key.of("v1")));
        assertThat(ledger.verifyAndSettle(Map.of())).singleElement().asString().contains("holds absent");
    }

    @Test
    void unknownWritesAfterTheAcknowledgedOneMayEachBeFound() {
        assertThat(acknowledgedV1ThenUnknownV2AndDelete().verifyAndSettle(Map.of(K, Key.of("v1")))).isEmpty();
        assertThat(acknowledgedV1ThenUnknownV2AndDelete().verifyAndSettle(Map.of(K, Key.of("v2")))).isEmpty();
        assertThat(acknowledgedV1ThenUnknownV2AndDelete().verifyAndSettle(Map.of())).as("the DELETE took effect")
                .isEmpty();
        assertThat(acknowledgedV1ThenUnknownV2AndDelete().verifyAndSettle(Map.of(K, Key.of("v3")))).hasSize(1);
    }

    @Test
    void anAcknowledgementSettlesEarlierWritesOfTheKey() {
        WriteLedger ledger = new WriteLedger();
        ledger.sent(K, Key.of("v1"));
        ledger.acknowledged(K, ledger.sent(K, Key.of("v2")));
        assertThat(ledger.verifyAndSettle(Map.of(K, Key.of("v1")))).singleElement().asString()
                .contains("acknowledged v2".replace("v2", Key.of("v2").toString()));
    }

    @Test
    void aValueNeverWrittenOrAKeyNeverWrittenIsCaught() {
        WriteLedger ledger = new WriteLedger();
        ledger.acknowledged(K, ledger.sent(K, Key.of("v1")));
        assertThat(ledger.verifyAndSettle(Map.of(K, Key.of("v1"), Key.of("other"), Key.of("x"))))
                .singleElement().asString().contains("never written");
    }

    @Test
    void settlingMakesTheFoundStateTheAcknowledgedOne() {
        WriteLedger ledger = new WriteLedger();
        ledger.sent(K, Key.of("v1"));
        assertThat(ledger.verifyAndSettle(Map.of(K, Key.of("v1")))).isEmpty();
        assertThat(ledger.verifyAndSettle(Map.of())).as("v1 was found, so it is now durable").hasSize(1);
    }

    private static WriteLedger acknowledgedV1ThenUnknownV2AndDelete() {
        WriteLedger ledger = new WriteLedger();
        ledger.acknowledged(K, ledger.sent(K, Key.of("v1")));
        ledger.sent(K, Key.of("v2"));
        ledger.sent(K, null);
        return ledger;
    }
}
