/**
 * The topic configs and their checks are defined once, in @tributary/metadata (topic-configs.ts), so that
 * brokers describe exactly the keys the controller accepts (Kafka's DescribeConfigs). Re-exported here
 * for the controller's commands.
 */
export { TOPIC_CONFIG_CHECKS, validateTopicConfigs } from '@tributary/metadata';
