/** /v1/auth: sign-up, sign-in, refresh, sign-out, password reset and change, email verification, invitations. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AcceptInvitationSchema,
  AcceptedSchema,
  ChangePasswordSchema,
  EmailOnlySchema,
  RefreshSchema,
  RegisterSchema,
  ResetConfirmSchema,
  SessionSchema,
  SignInSchema,
  TokenOnlySchema,
} from '../schemas/auth.ts';
import { confirmEmailVerification, requestEmailVerification } from '../use-cases/email-verification.ts';
import type { CustomersDeps } from '../use-cases/deps.ts';
import { acceptInvitation } from '../use-cases/invitations.ts';
import { changePassword } from '../use-cases/manage-profile.ts';
import { confirmPasswordReset, requestPasswordReset } from '../use-cases/password-reset.ts';
import { registerAccount } from '../use-cases/register-account.ts';
import { refreshSession, signOut } from '../use-cases/sessions.ts';
import { signIn } from '../use-cases/sign-in.ts';
import { ownerId } from './owner.ts';

const ACCEPTED_SIGN_UP = {
  status: 'accepted' as const,
  message: 'If this email can be used, the account is ready: sign in with it. We also sent a mail to confirm the address.',
};
const ACCEPTED_RESET = {
  status: 'accepted' as const,
  message: 'If this email has an account, a link to choose a new password is on its way. It works once, for 30 minutes.',
};

export const authRoutes: FastifyPluginAsyncTypebox<{ deps: CustomersDeps }> = async (app, { deps }) => {
  const tags = ['auth'];
  const open = { auth: 'public' as const };
  const signedIn = { auth: 'customer' as const };

  app.post(
    '/v1/auth/register',
    {
      config: open,
      schema: {
        tags,
        summary: 'Create an account',
        description: 'Answers 202 whether or not the email already has an account, so sign-up cannot be used to find out who shops here.',
        body: RegisterSchema,
        response: { 202: AcceptedSchema },
      },
    },
    async (request, reply) => {
      await registerAccount(deps, { ...request.body, ip: request.ip });
      return reply.code(202).send(ACCEPTED_SIGN_UP);
    },
  );

  app.post(
    '/v1/auth/login',
    {
      config: open,
      schema: { tags, summary: 'Sign in: an access token and a refresh token', body: SignInSchema, response: { 200: SessionSchema } },
    },
    async (request) => signIn(deps, { ...request.body, ip: request.ip }),
  );

  app.post(
    '/v1/auth/refresh',
    {
      config: open,
      schema: {
        tags,
        summary: 'Trade a refresh token for a new pair',
        description: 'Each refresh token works once. Presenting a used one again signs out the whole session.',
        body: RefreshSchema,
        response: { 200: SessionSchema },
      },
    },
    async (request) => refreshSession(deps, request.body.refreshToken),
  );

  app.post(
    '/v1/auth/logout',
    { config: open, schema: { tags, summary: 'Sign out: end the session of this refresh token', body: RefreshSchema } },
    async (request, reply) => {
      await signOut(deps, request.body.refreshToken);
      return reply.code(204).send();
    },
  );

  app.post(
    '/v1/auth/password-reset',
    {
      config: open,
      schema: { tags, summary: 'Mail a password reset link', body: EmailOnlySchema, response: { 202: AcceptedSchema } },
    },
    async (request, reply) => {
      await requestPasswordReset(deps, { email: request.body.email, ip: request.ip });
      return reply.code(202).send(ACCEPTED_RESET);
    },
  );

  app.post(
    '/v1/auth/password-reset/confirm',
    { config: open, schema: { tags, summary: 'Choose a new password with a reset token', body: ResetConfirmSchema } },
    async (request, reply) => {
      await confirmPasswordReset(deps, { ...request.body, ip: request.ip });
      return reply.code(204).send();
    },
  );

  app.post(
    '/v1/auth/password',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Change the password (signs out every other session)',
        body: ChangePasswordSchema,
        response: { 200: SessionSchema },
      },
    },
    async (request) => changePassword(deps, { customerId: ownerId(request, 'me'), ...request.body }),
  );

  app.post(
    '/v1/auth/email-verification',
    {
      config: signedIn,
      schema: { tags, summary: 'Mail a new email verification link', response: { 202: AcceptedSchema } },
    },
    async (request, reply) => {
      await requestEmailVerification(deps, { customerId: ownerId(request, 'me'), ip: request.ip });
      return reply.code(202).send({ status: 'accepted', message: 'A link to confirm your email is on its way.' });
    },
  );

  app.post(
    '/v1/auth/email-verification/confirm',
    { config: open, schema: { tags, summary: 'Confirm an email with its token', body: TokenOnlySchema } },
    async (request, reply) => {
      await confirmEmailVerification(deps, { token: request.body.token, ip: request.ip });
      return reply.code(204).send();
    },
  );

  app.post(
    '/v1/auth/invitations/accept',
    {
      config: open,
      schema: { tags, summary: 'Accept an invitation: choose a password and sign in', body: AcceptInvitationSchema, response: { 201: SessionSchema } },
    },
    async (request, reply) => reply.code(201).send(await acceptInvitation(deps, { ...request.body, ip: request.ip })),
  );
};
