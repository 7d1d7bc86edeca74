"""The legacy AlterConfigs API from kafka-python and confluent-kafka, for the Kafka door's tests.

Usage: alter_configs.py <bootstrap> kafka-python|confluent <topic>
Replaces the topic's overrides with {"max.message.bytes": "4096"}, then asks for a bad value
(retention.ms=never, which must change nothing) and for broker 0 (read-only). Prints one JSON
object on stdout: {"ok": result, "bad": result, "broker": result, "after": {name: value}} where a
result is {"error": name, "message": text}; exits non-zero on an unexpected failure.
"""
import json
import sys

TIMEOUT = 10
NEW = {"max.message.bytes": "4096"}
BAD = {"retention.ms": "never"}
WATCHED = ["max.message.bytes", "retention.ms", "segment.ms"]


def with_kafka_python(bootstrap, topic):
    from kafka import KafkaAdminClient
    from kafka.admin import ConfigResource, ConfigResourceType
    from kafka.errors import for_code

    client = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=TIMEOUT * 1000)

    def alter(resource_type, name, configs):
        response = client.alter_configs([ConfigResource(resource_type, name, configs=configs)])
        # (error_code, error_message, resource_type, resource_name)
        code, message = response.resources[0][0], response.resources[0][1]
        return {"error": "NONE" if code == 0 else for_code(code).__name__, "message": message}

    out = {
        "ok": alter(ConfigResourceType.TOPIC, topic, NEW),
        "bad": alter(ConfigResourceType.TOPIC, topic, BAD),
        "broker": alter(ConfigResourceType.BROKER, "0", {"num.partitions": "3"}),
    }
    described = client.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs=dict.fromkeys(WATCHED))])
    # (error_code, error_message, resource_type, resource_name, config_entries)
    entries = described[0].resources[0][4]
    out["after"] = {entry[0]: entry[1] for entry in entries}
    client.close()
    return out


def with_confluent(bootstrap, topic):
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import AdminClient, ConfigResource

    client = AdminClient({"bootstrap.servers": bootstrap})

    def alter(resource_type, name, configs):
        resource = ConfigResource(resource_type, name, set_config=configs)
        future = client.alter_configs([resource], request_timeout=TIMEOUT)[resource]
        try:
            future.result(timeout=TIMEOUT)
            return {"error": "NONE", "message": None}
        except KafkaException as e:
            return {"error": e.args[0].name(), "message": e.args[0].str()}

    out = {
        "ok": alter("topic", topic, NEW),
        "bad": alter("topic", topic, BAD),
        "broker": alter("broker", "0", {"num.partitions": "3"}),
    }
    resource = ConfigResource("topic", topic)
    entries = client.describe_configs([resource], request_timeout=TIMEOUT)[resource].result(timeout=TIMEOUT)
    out["after"] = {name: entries[name].value for name in WATCHED}
    return out


if __name__ == "__main__":
    bootstrap, client_name, topic = sys.argv[1:4]
    run = {"kafka-python": with_kafka_python, "confluent": with_confluent}[client_name]
    print(json.dumps(run(bootstrap, topic)))
