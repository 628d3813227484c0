-- The same SQL for SQLite and PostgreSQL: times are epoch milliseconds, yes/no is 0/1.
CREATE TABLE reports (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    check_name  VARCHAR(64)  NOT NULL,
    host        VARCHAR(255) NOT NULL,
    at_ms       BIGINT       NOT NULL,
    verdict     VARCHAR(32)  NOT NULL,
    cause_id    VARCHAR(128) NOT NULL,
    requester   VARCHAR(255) NOT NULL,
    channel     VARCHAR(255) NOT NULL,
    json        TEXT         NOT NULL
);
CREATE INDEX reports_host_at ON reports (host, at_ms);
CREATE INDEX reports_channel_at ON reports (channel, at_ms);
CREATE INDEX reports_at ON reports (at_ms);

CREATE TABLE answers (
    report_id   VARCHAR(64)  NOT NULL,
    user_id     VARCHAR(255) NOT NULL,
    check_name  VARCHAR(64)  NOT NULL,
    cause_id    VARCHAR(128) NOT NULL,
    confirmed   INTEGER      NOT NULL,
    at_ms       BIGINT       NOT NULL,
    PRIMARY KEY (report_id, user_id)
);
CREATE INDEX answers_at ON answers (at_ms);

CREATE TABLE sweeps (
    id           VARCHAR(64)  NOT NULL PRIMARY KEY,
    schedule     VARCHAR(128) NOT NULL,
    check_name   VARCHAR(64)  NOT NULL,
    at_ms        BIGINT       NOT NULL,
    duration_ms  BIGINT       NOT NULL
);
CREATE INDEX sweeps_schedule_at ON sweeps (schedule, at_ms);

CREATE TABLE sweep_hosts (
    sweep_id        VARCHAR(64)  NOT NULL,
    position        INTEGER      NOT NULL,
    host            VARCHAR(255) NOT NULL,
    verdict         VARCHAR(32)  NOT NULL,
    cause_id        VARCHAR(128) NOT NULL,
    gateway_errors  INTEGER      NOT NULL,
    PRIMARY KEY (sweep_id, position)
);
