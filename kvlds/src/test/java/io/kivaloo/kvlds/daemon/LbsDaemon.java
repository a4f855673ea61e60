package io.kivaloo.kvlds.daemon;

import io.kivaloo.proto.daemon.DaemonChild;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** An lbs daemon to run kvlds over: the original C one, or ours from the lbs module. */
enum LbsDaemon {

    C {
        @Override
        Running start(Path dir, int blockSize) throws Exception {
            Optional<Path> lbs = Binaries.c("kivaloo-lbs");
            Assumptions.assumeTrue(lbs.isPresent(), "C lbs not found (../shared/c-kivaloo/bin/kivaloo-lbs; -Dkivaloo.c.bin=<dir>): skipped");
            Path store = Files.createDirectories(dir.resolve("lbs-store"));
            Path socket = dir.resolve("lbs.sock");
            Path pid = dir.resolve("lbs.pid");
            DaemonChild.Finished started = ChildProcess.run(List.of(lbs.get().toString(), "-s", socket.toString(), "-d", store.toString(),
                    "-b", Integer.toString(blockSize), "-p", pid.toString()));
            assertThat(started.status()).as("C lbs start-up: %s", started.output()).isZero();
            long p = Long.parseLong(Files.readString(pid).trim());
            return new Running(socket.toString(), () -> stopPid(p));
        }
    },

    JAVA {
        @Override
        Running start(Path dir, int blockSize) throws Exception {
            Optional<Path> classes = Binaries.javaLbsClasses();
            Assumptions.assumeTrue(classes.isPresent(), "our lbs is not built (../lbs/target/classes; -Dkivaloo.lbs.classes=<dir>): skipped");
            Path store = Files.createDirectories(dir.resolve("lbs-store"));
            Path socket = dir.resolve("lbs.sock");
            DaemonChild child = ChildProcess.startJava("lbs/lbs", classes.get().toString(), "io.kivaloo.lbs.LbsMain",
                    List.of("-s", socket.toString(), "-d", store.toString(), "-b", Integer.toString(blockSize), "-p",
                            dir.resolve("lbs.pid").toString()));
            return new Running(socket.toString(), child::close);
        }
    };

    abstract Running start(Path dir, int blockSize) throws Exception;

    record Running(String address, AutoCloseable stopper) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            stopper.close();
        }
    }

    /** SIGTERM to a detached C daemon, then wait until it is gone. */
    static void stopPid(long pid) {
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(ChildProcess.DEADLINE_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
    }
}
