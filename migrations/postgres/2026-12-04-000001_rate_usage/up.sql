-- The rate limit is the service's, not each node's (issue 12): every node publishes,
-- once a second, how many requests it let through per token in that second, and lowers
-- its own allowance by what the other nodes used. One row per node and token.
CREATE TABLE rate_usage (
    node TEXT NOT NULL,
    token_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (node, token_id)
);
