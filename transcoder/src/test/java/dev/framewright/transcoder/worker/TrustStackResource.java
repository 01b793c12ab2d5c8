package dev.framewright.transcoder.worker;

import dev.framewright.events.rules.JobLimits;
import java.util.HashMap;
import java.util.Map;

/** {@link WorkerStackResource} with an operator maximum of 10 s per attempt, so a request that asks for more shows. */
public class TrustStackResource extends WorkerStackResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put(JobLimits.MAX_JOB_DURATION, "10s");
        return config;
    }
}
