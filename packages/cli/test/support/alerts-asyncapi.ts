/** An AsyncAPI 3 description of the test's own: one Socket.IO namespace, an event each way, one acknowledged. */
export const ALERTS_ASYNCAPI = `asyncapi: 3.0.0
info: { title: Alerts realtime, version: 1.0.0 }
channels:
  alerts:
    address: /v1/alerts
    messages:
      alert: { $ref: "#/components/messages/alert" }
      subscribe: { $ref: "#/components/messages/subscribe" }
operations:
  receiveAlert:
    action: receive
    channel: { $ref: "#/channels/alerts" }
    messages: [{ $ref: "#/channels/alerts/messages/alert" }]
  sendSubscribe:
    action: send
    channel: { $ref: "#/channels/alerts" }
    messages: [{ $ref: "#/channels/alerts/messages/subscribe" }]
    x-keysmith-ack: { $ref: "#/components/schemas/SubscribeAck" }
components:
  messages:
    alert:
      name: alert
      payload: { $ref: "#/components/schemas/Alert" }
    subscribe:
      name: subscribe
      payload: { $ref: "#/components/schemas/Subscribe" }
  schemas:
    Alert:
      type: object
      required: [level, text]
      properties:
        level: { type: string, enum: [info, warning, critical] }
        text: { type: string }
    Subscribe:
      type: object
      required: [topics]
      properties:
        topics: { type: array, minItems: 1, items: { type: string } }
    SubscribeAck:
      type: object
      required: [subscribed, since]
      properties:
        subscribed: { type: boolean, const: true }
        since: { type: string, format: date-time }
`;
