package io.kivaloo.lbss3;

import io.kivaloo.lbss3.s3.S3ProxyBuckets;
import io.kivaloo.proto.daemon.DaemonChild;
import org.gaul.s3proxy.junit.S3ProxyExtension;

import java.util.List;
import java.util.Map;

/**
 * {@link LbsS3Main} in a child JVM ({@link DaemonChild}) on a bucket of the
 * test's S3Proxy, with the credentials and region passed the way an operator
 * passes them: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION in the
 * environment.
 */
final class LbsS3Process {

    private static final List<String> JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");
    private static final Map<String, String> CREDENTIALS = Map.of("AWS_ACCESS_KEY_ID", S3ProxyBuckets.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY", S3ProxyBuckets.SECRET_KEY, "AWS_REGION", S3ProxyBuckets.REGION);

    private LbsS3Process() {
    }

    /** The options that point a daemon at {@code bucket} on the proxy. */
    static List<String> bucketOptions(S3ProxyExtension proxy, String bucket, int leaseSeconds) {
        return List.of("-B", bucket, "-E", proxy.getUri().toString(), "--path-style", "--lease-seconds",
                Integer.toString(leaseSeconds));
    }

    /** Starts lbs-s3 in the foreground and waits until it is ready. */
    static DaemonChild start(List<String> args) throws Exception {
        return DaemonChild.startJava(JVM, "lbs-s3/lbs-s3", null, LbsS3Main.class.getName(), args, CREDENTIALS);
    }

    /** Runs a command line to completion (usage errors, refusals, init). */
    static DaemonChild.Finished run(List<String> args) throws Exception {
        return DaemonChild.run(DaemonChild.java(JVM, "lbs-s3/lbs-s3", null, LbsS3Main.class.getName(), args), CREDENTIALS);
    }
}
