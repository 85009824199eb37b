import { Command } from '@nestjs/cqrs';
import { CommandAnswer, CommandContext, Language } from '@kundportal/kernel';
import type { PreferencesHolder } from './preferences.events';
import type { Principal } from './principal';

export class CreateAccount extends Command<CommandAnswer> {
  constructor(
    readonly principal: Principal,
    readonly input: { name: string; email: string; phone?: string; organisationNumber: string; invitationToken?: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * An account holder asks to join another organisation (by its number), or accepts an invitation
 * (by the link's token): active when named in its application or invited, else a join request.
 */
export class JoinAnotherOrganisation extends Command<CommandAnswer> {
  constructor(
    readonly principal: Principal,
    readonly request: { organisationNumber?: string; invitationToken?: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class SubmitRegistration extends Command<CommandAnswer> {
  constructor(
    readonly input: { name: string; email: string; password: string; organisationNumber: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class ApproveRegistration extends Command<CommandAnswer> {
  constructor(readonly registrationId: string, readonly context: CommandContext) {
    super();
  }
}

export class RejectRegistration extends Command<CommandAnswer> {
  constructor(readonly registrationId: string, readonly reason: string, readonly context: CommandContext) {
    super();
  }
}

/** Sends a reset link when the e-mail belongs to a password account; answers the same either way. */
export class RequestPasswordReset extends Command<{ accepted: true }> {
  constructor(readonly email: string, readonly context: CommandContext) {
    super();
  }
}

export class ResetPassword extends Command<CommandAnswer> {
  constructor(readonly token: string, readonly password: string, readonly context: CommandContext) {
    super();
  }
}

export class ImportLegacyAccount extends Command<CommandAnswer> {
  constructor(
    readonly input: { username: string; name: string; email: string; organisationNumber: string; roles: string[] },
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** The owner of an imported account proves who they are with e-ID, once, through the e-mailed link. */
export class VerifyLegacyAccount extends Command<CommandAnswer> {
  constructor(readonly principal: Principal, readonly token: string, readonly context: CommandContext) {
    super();
  }
}

/** The language the service speaks to the caller in: error messages, and e-mails to their account. */
export class ChooseLanguage extends Command<CommandAnswer> {
  constructor(readonly holder: PreferencesHolder, readonly language: Language, readonly context: CommandContext) {
    super();
  }
}

/** The account holder proves their e-mail with the token from the `email-verification` e-mail. */
export class VerifyEmail extends Command<CommandAnswer> {
  constructor(readonly principal: Principal, readonly token: string, readonly context: CommandContext) {
    super();
  }
}

/** An e-ID account holder changes their e-mail; it is unverified until the new link is used. */
export class ChangeEmail extends Command<CommandAnswer> {
  constructor(readonly principal: Principal, readonly email: string, readonly context: CommandContext) {
    super();
  }
}
