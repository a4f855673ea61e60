package io.kivaloo.tests.chain;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * JUnit glue for {@link Chain}: starts chains for a test, and after it closes
 * them; if the test failed it prints each chain's {@link Chain#report()}
 * (every daemon's log) and keeps its directory, otherwise deletes it.
 *
 * <pre>
 *   &#64;RegisterExtension
 *   final ChainExtension chains = new ChainExtension();
 *   ...
 *   Chain chain = chains.start(Chain.builder().wiring(Wiring.TCP));
 * </pre>
 * Tests may close a chain early (close is idempotent); the report is printed
 * before the extension closes anything, so the logs show the state at failure.
 */
public final class ChainExtension implements AfterTestExecutionCallback, AfterEachCallback {

    private final List<Chain> chains = new ArrayList<>();
    private boolean failed;

    /** Starts a chain owned by the current test. */
    public Chain start(Chain.Builder builder) throws IOException {
        Chain chain = builder.start();
        chains.add(chain);
        return chain;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        failed = context.getExecutionException().isPresent();
        if (failed) {
            for (Chain chain : chains) {
                System.err.println("===== " + context.getDisplayName() + " failed; " + chain.report());
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        List<Chain> owned = new ArrayList<>(chains);
        chains.clear();
        for (Chain chain : owned) {
            chain.close();
        }
        for (Chain chain : owned) {
            if (failed) {
                System.err.println("kept chain directory " + chain.directory());
            } else {
                chain.deleteDirectory();
            }
        }
    }
}
