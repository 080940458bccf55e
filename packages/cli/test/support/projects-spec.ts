/**
 * A description of the test's own, as a user would bring one: an apiKey header scheme, tasks at the top level
 * and, nested, the notes of a project, listed a page at a time in an envelope.
 */
export const PROJECTS_SPEC = `openapi: 3.1.0
info: { title: Projects API, version: 2.0.0 }
servers: [{ url: https://projects.example.test/api }]
security: [{ projectsKey: [] }]
paths:
  /tasks:
    get:
      operationId: listTasks
      responses:
        "200":
          description: All tasks
          content: { application/json: { schema: { type: array, items: { $ref: "#/components/schemas/Task" } } } }
    post:
      operationId: createTask
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: "#/components/schemas/TaskInput" } } }
      responses:
        "201":
          description: Created
          content: { application/json: { schema: { $ref: "#/components/schemas/Task" } } }
  /tasks/{taskId}:
    parameters: [{ name: taskId, in: path, required: true, schema: { type: integer } }]
    get:
      operationId: getTask
      responses:
        "200":
          description: The task
          content: { application/json: { schema: { $ref: "#/components/schemas/Task" } } }
        "404": { description: No such task }
    put:
      operationId: replaceTask
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: "#/components/schemas/TaskInput" } } }
      responses:
        "200":
          description: Replaced
          content: { application/json: { schema: { $ref: "#/components/schemas/Task" } } }
    patch:
      operationId: updateTask
      requestBody:
        required: true
        content: { application/json: { schema: { type: object, properties: { title: { type: string, minLength: 1 }, done: { type: boolean } } } } }
      responses:
        "200":
          description: Updated
          content: { application/json: { schema: { $ref: "#/components/schemas/Task" } } }
    delete:
      operationId: deleteTask
      responses:
        "204": { description: Deleted }
  /projects/{projectId}/notes:
    parameters: [{ name: projectId, in: path, required: true, schema: { type: string } }]
    get:
      operationId: listNotes
      parameters:
        - { name: page, in: query, schema: { type: integer, minimum: 1, default: 1 } }
        - { name: per_page, in: query, schema: { type: integer, minimum: 1, maximum: 50, default: 2 } }
      responses:
        "200":
          description: A page of notes
          content:
            application/json:
              schema:
                type: object
                required: [items, total, next]
                properties:
                  items: { type: array, items: { $ref: "#/components/schemas/Note" } }
                  total: { type: integer }
                  next: { type: [string, "null"] }
    post:
      operationId: createNote
      requestBody:
        required: true
        content: { application/json: { schema: { type: object, required: [text], properties: { text: { type: string } } } } }
      responses:
        "201":
          description: Created
          content: { application/json: { schema: { $ref: "#/components/schemas/Note" } } }
  /events:
    get:
      operationId: listEvents
      parameters:
        - { name: cursor, in: query, schema: { type: string } }
        - { name: limit, in: query, schema: { type: integer, default: 2 } }
      responses:
        "200":
          description: A page of events
          content:
            application/json:
              schema:
                type: object
                required: [data]
                properties:
                  data: { type: array, items: { $ref: "#/components/schemas/Event" } }
                  next_cursor: { type: [string, "null"] }
    post:
      operationId: createEvent
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: "#/components/schemas/Event" } } }
      responses:
        "201":
          description: Created
          content: { application/json: { schema: { $ref: "#/components/schemas/Event" } } }
  /logs:
    get:
      operationId: listLogs
      parameters:
        - { name: offset, in: query, schema: { type: integer, minimum: 0 } }
        - { name: limit, in: query, schema: { type: integer, minimum: 1, default: 3 } }
      responses:
        "200":
          description: Log lines
          content: { application/json: { schema: { type: array, items: { $ref: "#/components/schemas/Log" } } } }
  /status:
    get:
      operationId: getStatus
      security: []
      responses:
        "200":
          description: Service status
          content:
            application/json:
              schema: { type: object, required: [ok], properties: { ok: { type: boolean }, version: { type: string } } }
              example: { ok: true, version: "2.0.0" }
components:
  securitySchemes:
    projectsKey: { type: apiKey, in: header, name: X-Projects-Key }
  schemas:
    TaskInput:
      type: object
      required: [title]
      additionalProperties: false
      properties:
        title: { type: string, minLength: 1 }
        done: { type: boolean, default: false }
    Task:
      type: object
      required: [id, title, done, createdAt]
      properties:
        id: { type: integer, readOnly: true }
        title: { type: string }
        done: { type: boolean }
        createdAt: { type: string, format: date-time, readOnly: true }
    Event:
      type: object
      required: [name]
      properties:
        id: { type: string, readOnly: true }
        name: { type: string }
    Log:
      type: object
      required: [id, line]
      properties:
        id: { type: integer }
        line: { type: string, minLength: 3 }
    Note:
      type: object
      required: [noteId, text]
      properties:
        noteId: { type: string, format: uuid, readOnly: true }
        text: { type: string }
`;
