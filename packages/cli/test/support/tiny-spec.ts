/** A small description of the test's own (a to-do API), quick to generate; `summary` varies it. */
export function tinySpec(title = "Todo API", summary = "List todos"): string {
  return `openapi: 3.1.0
info:
  title: ${title}
  version: 1.0.0
servers:
  - url: https://todo.example.test/v1
security:
  - todoKey: []
paths:
  /todos:
    get:
      operationId: listTodos
      summary: ${summary}
      responses:
        "200":
          description: The todos
          content:
            application/json:
              schema:
                type: array
                items: { $ref: "#/components/schemas/Todo" }
  /todos/{todoId}:
    get:
      operationId: getTodo
      summary: Get a todo
      parameters:
        - { name: todoId, in: path, required: true, schema: { type: string } }
      responses:
        "200":
          description: The todo
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Todo" }
        "404":
          description: No such todo
components:
  securitySchemes:
    todoKey: { type: apiKey, in: header, name: X-Todo-Key }
  schemas:
    Todo:
      type: object
      required: [id, title]
      properties:
        id: { type: string }
        title: { type: string }
`;
}
