package io.github.camelrtsp;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The component's threads: created on start, named, daemon, and gone when the context stops. */
class RtspComponentTest {

    @Test
    void ownEventLoopGroupIsCreatedOnStartAndShutDownWhenTheContextStops() throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        RtspComponent component = new RtspComponent();
        component.setIoThreads(2);
        ctx.addComponent("rtsp", component);
        assertThrows(IllegalStateException.class, component::ioGroup);
        ctx.start();
        EventLoopGroup group = component.ioGroup();
        ExecutorService delivery = component.deliveryExecutor();
        assertInstanceOf(MultiThreadIoEventLoopGroup.class, group);
        assertEquals(2, ((MultiThreadIoEventLoopGroup) group).executorCount());
        EventLoop loop = group.next();
        Thread thread = loop.submit(Thread::currentThread).get(5, TimeUnit.SECONDS);
        assertTrue(thread.getName().matches("camel-rtsp-io-\\d+"), thread.getName());
        assertTrue(thread.isDaemon());

        ctx.stop();
        assertTrue(group.isTerminated(), "I/O threads must be gone after the context stopped");
        assertTrue(delivery.isShutdown());
        assertThrows(IllegalStateException.class, component::ioGroup);
    }

    @Test
    void ioThreadsDefaultToHalfTheProcessorsAtLeastOne() throws Exception {
        assertEquals(1, RtspComponent.defaultIoThreads(1));
        assertEquals(1, RtspComponent.defaultIoThreads(2));
        assertEquals(1, RtspComponent.defaultIoThreads(3));
        assertEquals(4, RtspComponent.defaultIoThreads(8));
        CamelContext ctx = new DefaultCamelContext();
        RtspComponent component = new RtspComponent();
        ctx.addComponent("rtsp", component);
        ctx.start();
        try {
            assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
                    ((MultiThreadIoEventLoopGroup) component.ioGroup()).executorCount());
        } finally {
            ctx.stop();
        }
    }

    @Test
    void suppliedEventLoopGroupIsUsedAndLeftToItsOwner() throws Exception {
        EventLoopGroup mine = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            CamelContext ctx = new DefaultCamelContext();
            RtspComponent component = new RtspComponent();
            component.setEventLoopGroup(mine);
            ctx.addComponent("rtsp", component);
            ctx.start();
            assertSame(mine, component.ioGroup());
            ctx.stop();
            assertFalse(mine.isShuttingDown(), "a supplied group belongs to its owner");
        } finally {
            mine.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
        }
    }

    @Test
    void badThreadCountsFailTheStart() {
        CamelContext ctx = new DefaultCamelContext();
        RtspComponent component = new RtspComponent();
        component.setDeliveryThreads(0);
        ctx.addComponent("rtsp", component);
        Exception e = assertThrows(Exception.class, ctx::start);
        assertTrue(String.valueOf(e.getMessage()).contains("deliveryThreads")
                   || String.valueOf(e.getCause()).contains("deliveryThreads"), String.valueOf(e));
        ctx.stop();
    }

    @Test
    void bothSchemesResolveToTheComponent() throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        ctx.start();
        try {
            assertInstanceOf(RtspComponent.class, ctx.getComponent("rtsp"));
            assertInstanceOf(RtspComponent.class, ctx.getComponent("rtsps"));
            assertInstanceOf(RtspEndpoint.class, ctx.getEndpoint("rtsps://cam/stream"));
        } finally {
            ctx.stop();
        }
    }
}
