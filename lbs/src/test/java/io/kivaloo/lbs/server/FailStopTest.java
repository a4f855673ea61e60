package io.kivaloo.lbs.server;

import io.kivaloo.lbs.storage.DataFile;
import io.kivaloo.lbs.storage.Disk;
import io.kivaloo.lbs.storage.NioDisk;
import io.kivaloo.proto.client.LbsClient;
import io.kivaloo.proto.lbs.LbsResponse;
import io.kivaloo.proto.net.KivalooAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An I/O error while appending stops the daemon with the first cause and acknowledges nothing more. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FailStopTest {

    private static final int BS = 512;

    @TempDir
    Path tmp;

    @Test
    void failedFsyncAcknowledgesNothingAndStopsTheDaemonWithItsCause() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("store"));
        KivalooAddress address = KivalooAddress.parse(tmp.resolve("lbs.sock").toString());
        FailingDisk disk = new FailingDisk(new NioDisk(dir));
        LbsServer server = LbsServer.start(new LbsConfig(address, dir, BS, 2, 0, true, false), disk);
        try (LbsClient client = LbsClient.connect(address).get(60, TimeUnit.SECONDS)) {
            client.params().get(60, TimeUnit.SECONDS);
            assertThat(client.append(0, 1, new byte[BS]).get(60, TimeUnit.SECONDS))
                    .isEqualTo(new LbsResponse.Append(true, 1));
            disk.failForce = true;
            CompletableFuture<LbsResponse.Append> failed = client.append(1, 1, new byte[BS]);
            assertThatThrownBy(() -> failed.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            assertThatThrownBy(() -> server.done().get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("block store stopped after an I/O error during APPEND at block 1")
                    .hasMessageContaining("No space left on device (injected)");
        } finally {
            server.close();
        }
    }

    /** Fails every fsync once armed, as a full or failing disk would. */
    private static final class FailingDisk implements Disk {
        private final Disk real;
        volatile boolean failForce;

        FailingDisk(Disk real) {
            this.real = real;
        }

        @Override
        public String describe() {
            return real.describe();
        }

        @Override
        public List<String> listRegularFiles() throws IOException {
            return real.listRegularFiles();
        }

        @Override
        public DataFile open(String name) throws IOException {
            return wrap(real.open(name));
        }

        @Override
        public DataFile create(String name) throws IOException {
            return wrap(real.create(name));
        }

        @Override
        public void delete(String name) throws IOException {
            real.delete(name);
        }

        @Override
        public void syncDirectory() throws IOException {
            if (failForce) {
                throw new IOException("No space left on device (injected)");
            }
            real.syncDirectory();
        }

        private DataFile wrap(DataFile file) {
            return new DataFile() {
                @Override
                public int read(ByteBuffer dst, long position) throws IOException {
                    return file.read(dst, position);
                }

                @Override
                public void write(ByteBuffer src, long position) throws IOException {
                    file.write(src, position);
                }

                @Override
                public long size() throws IOException {
                    return file.size();
                }

                @Override
                public void truncate(long size) throws IOException {
                    file.truncate(size);
                }

                @Override
                public void force() throws IOException {
                    if (failForce) {
                        throw new IOException("No space left on device (injected)");
                    }
                    file.force();
                }

                @Override
                public void close() throws IOException {
                    file.close();
                }
            };
        }
    }
}
