-- What replicas of the bot share through one store. Times are epoch milliseconds, yes/no is 0/1.
-- A lease: one replica holds it until until_ms and keeps pushing that back while it works.
CREATE TABLE leases (
    name        VARCHAR(255) NOT NULL PRIMARY KEY,
    holder      VARCHAR(255) NOT NULL,
    until_ms    BIGINT       NOT NULL,
    done        INTEGER      NOT NULL
);
CREATE INDEX leases_until ON leases (until_ms);

-- The newest run of each check on each host, for the other replicas to serve within the cache's time to live.
CREATE TABLE shared_runs (
    check_name  VARCHAR(64)  NOT NULL,
    host        VARCHAR(255) NOT NULL,
    at_ms       BIGINT       NOT NULL,
    saved_ms    BIGINT       NOT NULL,
    verdict     VARCHAR(32)  NOT NULL,
    summary     TEXT         NOT NULL,
    duration_ms BIGINT       NOT NULL,
    fingerprint VARCHAR(255) NOT NULL,
    evidence    TEXT,
    PRIMARY KEY (check_name, host)
);
