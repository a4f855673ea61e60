package io.kivaloo.proto.wire;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;

/**
 * Hands out buffers that can never grow beyond {@code cap} bytes and records
 * the largest one asked for: a decoder that sized a buffer from an untrusted
 * length would fail loudly here instead of allocating gigabytes.
 */
final class CappedAllocator extends AbstractByteBufAllocator {

    private final int cap;
    private int largestRequest;

    CappedAllocator(int cap) {
        super(false);
        this.cap = cap;
    }

    int largestRequest() {
        return largestRequest;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        largestRequest = Math.max(largestRequest, initialCapacity);
        return new UnpooledHeapByteBuf(this, initialCapacity, Math.min(maxCapacity, cap));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        largestRequest = Math.max(largestRequest, initialCapacity);
        return new UnpooledDirectByteBuf(this, initialCapacity, Math.min(maxCapacity, cap));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }
}
