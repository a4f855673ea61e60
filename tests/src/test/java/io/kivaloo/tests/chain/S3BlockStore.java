package io.kivaloo.tests.chain;

import io.kivaloo.proto.net.KivalooAddress;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * lbs-s3 as a chain's block store: the launcher with a bucket on an
 * S3-compatible endpoint, the credentials and region in its environment (the
 * SDK's default chain reads them there), and a key prefix of its own per
 * chain (the chain directory's name), so that chains can share a bucket and
 * every restart of the block store finds its data again.
 *
 * @param leaseSeconds how long a restart after kill -9 watches for a live predecessor (lbs-s3 --lease-seconds)
 */
public record S3BlockStore(Path executable, int blockSize, URI endpoint, String bucket, String accessKey,
                           String secretKey, String region, int leaseSeconds) implements BlockStoreDaemon {

    @Override
    public String name() {
        return "lbs-s3";
    }

    @Override
    public List<String> command(KivalooAddress address, Path dataDirectory) {
        return List.of(executable.toString(), "-s", address.text(), "-b", Integer.toString(blockSize), "-B", bucket,
                "-E", endpoint.toString(), "--path-style", "--prefix", dataDirectory.getParent().getFileName().toString(),
                "--lease-seconds", Integer.toString(leaseSeconds));
    }

    @Override
    public Map<String, String> environment() {
        return Map.of("AWS_ACCESS_KEY_ID", accessKey, "AWS_SECRET_ACCESS_KEY", secretKey, "AWS_REGION", region);
    }

    @Override
    public String toString() {
        // A placeholder must parse as an address; "{address}" alone does not.
        String withPlaceholder = String.join(" ", command(KivalooAddress.parse("/" + ADDRESS), Path.of(DIRECTORY, "store")));
        return withPlaceholder.replace("/" + ADDRESS, ADDRESS);
    }
}
