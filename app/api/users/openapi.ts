import { z } from "zod";
import { NewUserBody } from "@/lib/records/auth/user-schemas";
import { EXAMPLE_USER, UserAnswer } from "@/lib/features/openapi/answers/auth";
import { component } from "@/lib/features/openapi/components";
import { defineRoute, json } from "@/lib/features/openapi/define-route";
import { JSON_BODY_ERRORS } from "@/lib/features/openapi/errors";
import * as route from "./route";

export default defineRoute("/api/users", route, {
  GET: {
    operationId: "listUsers",
    summary: "Every user",
    tag: "users",
    responses: {
      200: {
        description: "The users.",
        content: json(z.object({ items: z.array(UserAnswer) }), { items: [EXAMPLE_USER] }),
      },
    },
  },
  POST: {
    operationId: "createUser",
    summary: "Create a user with a password",
    description: "The name defaults to the part of the email before @. Passwords: 12 to 256 characters.",
    tag: "users",
    body: {
      content: json(component("NewUser", NewUserBody), {
        email: EXAMPLE_USER.email,
        name: EXAMPLE_USER.name,
        role: EXAMPLE_USER.role,
        password: "correct horse battery",
      }),
    },
    responses: { 201: { description: "The user.", content: json(UserAnswer, EXAMPLE_USER) } },
    errors: [...JSON_BODY_ERRORS, "conflict"],
  },
});
