package io.artdag.l1.example;

import io.artdag.l1.connector.L1Store;
import io.artdag.l1.connector.RenderOutput;
import java.nio.file.Path;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

/**
 * A user's own Flink job that renders outputs and ends in the store with one call (see
 * examples/render-job/README.md): {@code flink run render-job.jar --store DIR --out DIR --count N
 * [--rate STEPS_PER_SECOND] [--l1.mode l1 --l1.kubo.api … ]}. Any {@code --l1.*} argument is a
 * store option (README "Configuration").
 */
public final class RenderJob {
    private RenderJob() {}

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        Path store = Path.of(params.getRequired("store"));
        Path out = Path.of(params.getRequired("out"));
        long count = params.getLong("count");
        double rate = params.getDouble("rate", 0);
        Configuration options = new Configuration();
        params.toMap()
                .forEach(
                        (k, v) -> {
                            if (k.startsWith("l1.")) {
                                options.setString(k, v);
                            }
                        });

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // The store commits at completed checkpoints: this is also how soon outputs are stored.
        env.enableCheckpointing(500);
        DataStream<RenderOutput> outputs = render(env, out, count, rate);
        L1Store.builder().setStorePath(store).setConfig(options).build().sinkFrom(outputs);
        env.execute("render-job: " + count + " steps into " + store);
    }

    /**
     * The job's own part: {@code count} render steps from a bounded source ({@code stepsPerSecond}
     * per second, unlimited if 0), each writing its output file under {@code out}.
     */
    public static DataStream<RenderOutput> render(
            StreamExecutionEnvironment env, Path out, long count, double stepsPerSecond) {
        DataGeneratorSource<Long> steps =
                new DataGeneratorSource<>(
                        i -> i,
                        count,
                        stepsPerSecond > 0
                                ? RateLimiterStrategy.perSecond(stepsPerSecond)
                                : RateLimiterStrategy.noOp(),
                        Types.LONG);
        return env.fromSource(steps, WatermarkStrategy.noWatermarks(), "RenderSteps")
                .uid("render-steps")
                .map(new RenderStep(out.toAbsolutePath().toString()))
                .uid("render")
                .name("Render");
    }
}
