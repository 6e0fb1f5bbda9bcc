package io.aquatrade.app;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The pipeline's context: one thread, tasks in submission order, Vert.x callbacks come back to it. */
class PipelineContextTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void tasksFromManyThreadsRunOneAtATimeOnOneThreadInEachSubmittersOrder() throws Exception {
        PipelineContext pipeline = new PipelineContext(vertx, () -> { }, 1_000);
        int producers = 4;
        int perProducer = 50_000;
        Set<String> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<List<Integer>> seen = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            seen.add(new ArrayList<>()); // written by the pipeline thread only
        }
        CountDownLatch done = new CountDownLatch(producers * perProducer);
        List<Thread> senders = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            senders.add(new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    int n = i;
                    pipeline.executor().execute(() -> {
                        if (running.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        threads.add(Thread.currentThread().getName());
                        seen.get(producer).add(n);
                        running.decrementAndGet();
                        done.countDown();
                    });
                    if (n % 1_000 == 0) {
                        Thread.yield(); // let the pipeline thread drain and park now and then: wake-ups get exercised
                    }
                }
            }));
        }
        senders.forEach(Thread::start);
        assertThat(done.await(30, TimeUnit.SECONDS)).as("every task ran").isTrue();
        assertThat(threads).containsExactly("pipeline");
        assertThat(overlaps).hasValue(0);
        for (List<Integer> s : seen) {
            assertThat(s).hasSize(perProducer).isSorted();
        }
        pipeline.close();
    }

    @Test
    void timersFuturesAndBlockingCallsStartedOnThePipelineComeBackToIt() throws Exception {
        PipelineContext pipeline = new PipelineContext(vertx, () -> { }, 1_000);
        List<String> where = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(2);
        AtomicReference<io.vertx.core.Context> context = new AtomicReference<>();
        pipeline.executor().execute(() -> {
            context.set(Vertx.currentContext());
            vertx.setTimer(5, id -> {
                where.add("timer " + Thread.currentThread().getName() + " " + (Vertx.currentContext() == context.get()));
                done.countDown();
            });
            vertx.executeBlocking(() -> 42).onComplete(ar -> {
                where.add("blocking " + Thread.currentThread().getName() + " " + (Vertx.currentContext() == context.get()));
                done.countDown();
            });
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(context.get()).isNotNull();
        assertThat(where).containsExactlyInAnyOrder("timer pipeline true", "blocking pipeline true");
        pipeline.close();
    }

    @Test
    void publishesTheStatusOnItsTimerOnThePipelineThreadUntilClosed() {
        List<String> publishedOn = Collections.synchronizedList(new ArrayList<>());
        PipelineContext pipeline = new PipelineContext(vertx, () -> publishedOn.add(Thread.currentThread().getName()), 20);
        await().atMost(5, TimeUnit.SECONDS).until(() -> publishedOn.size() >= 3);
        pipeline.close();
        int atClose = publishedOn.size();
        assertThat(publishedOn).containsOnly("pipeline");
        await().pollDelay(200, TimeUnit.MILLISECONDS).atMost(1, TimeUnit.SECONDS).until(() -> true);
        assertThat(publishedOn).hasSize(atClose);
    }
}
