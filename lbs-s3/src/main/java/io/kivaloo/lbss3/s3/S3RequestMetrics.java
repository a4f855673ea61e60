package io.kivaloo.lbss3.s3;

import io.kivaloo.proto.metrics.DaemonMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * lbs-s3's object store series ({@code kivaloo_lbs_s3_*}, DESIGN.md
 * "Metrics"), counted by an SDK interceptor on the thread that made the call
 * (a storage worker): every request's final outcome by operation and HTTP
 * status ({@code error} when no answer came), and every retry by operation.
 */
public final class S3RequestMetrics implements ExecutionInterceptor {

    /** Set on a request's first transmission, so a second one is a retry. */
    private static final ExecutionAttribute<Boolean> TRANSMITTED = new ExecutionAttribute<>("kivaloo.lbs-s3.transmitted");

    private final Counter requests;
    private final Counter retries;

    public S3RequestMetrics(DaemonMetrics metrics) {
        requests = metrics.counter("s3_requests", "Object store requests finished, by operation and HTTP status (error: no answer).",
                "operation", "status");
        retries = metrics.counter("s3_retries", "Attempts made again after a failed attempt, by operation.", "operation");
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (attributes.getAttribute(TRANSMITTED) != null) {
            retries.labelValues(operation(attributes)).inc();
        } else {
            attributes.putAttribute(TRANSMITTED, Boolean.TRUE);
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        requests.labelValues(operation(attributes), Integer.toString(context.httpResponse().statusCode())).inc();
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        String status = context.httpResponse().map(r -> Integer.toString(r.statusCode())).orElse("error");
        requests.labelValues(operation(attributes), status).inc();
    }

    private static String operation(ExecutionAttributes attributes) {
        String name = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return name == null ? "unknown" : name;
    }
}
