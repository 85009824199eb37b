import { DEFAULT_LANGUAGE, Language, translate } from '@kundportal/kernel';

/**
 * The e-mails the service sends, rendered as plain text in the recipient's language (Swedish
 * unless they chose English). Each names what it is about. The texts live in the translations
 * (`libs/kernel/src/i18n`, `mail.<template>.subject` and `.text`); the template's name and `data`
 * are the same in every language.
 */
export interface RenderedMail {
  template: string;
  subject: string;
  text: string;
  data: Record<string, unknown>;
}

type Values = Record<string, string | number | boolean | null | undefined>;

/** A template's subject and text in the language, from its data and any values only the text needs. */
function render(template: string, data: Values | object, language: Language, extra: Values = {}): RenderedMail {
  const values = { ...data, ...extra } as Record<string, string | number | boolean | undefined>;
  return {
    template,
    subject: translate(language, `mail:${template}.subject`, values),
    text: translate(language, `mail:${template}.text`, values),
    data: data as Record<string, unknown>,
  };
}

export const templates = {
  organisationApprovedAdministrator(data: { name: string; organisationName: string; link: string }, language: Language = DEFAULT_LANGUAGE): RenderedMail {
    return render('organisation-approved-administrator', data, language);
  },

  agreementToSign(data: { name: string; organisationName: string; organisationId: string; link: string }, language: Language = DEFAULT_LANGUAGE): RenderedMail {
    return render('agreement-to-sign', data, language);
  },

  agreementContactInformation(data: { name: string; organisationName: string }, language: Language = DEFAULT_LANGUAGE): RenderedMail {
    return render('agreement-contact-information', data, language);
  },

  orderAwaitsYou(
    data: {
      name: string;
      action: 'approve' | 'attest';
      customerOrganisationName: string;
      offeringName: string;
      submittedBy: string;
      link: string;
    },
    language: Language = DEFAULT_LANGUAGE,
  ): RenderedMail {
    return render(data.action === 'approve' ? 'order-to-approve' : 'order-to-attest', data, language);
  },

  orderRejected(
    data: { name: string; customerOrganisationName: string; offeringName: string; reason: string; rejectedBy: string; link: string },
    language: Language = DEFAULT_LANGUAGE,
  ): RenderedMail {
    return render('order-rejected', data, language);
  },

  orderFulfilled(
    data: { name: string; customerOrganisationName: string; offeringName: string; instructions: string; viaAgent: boolean; link: string },
    language: Language = DEFAULT_LANGUAGE,
  ): RenderedMail {
    return render('order-fulfilled', data, language, { viaAgentNote: data.viaAgent ? translate(language, 'mail:order-fulfilled.viaAgentNote') : '' });
  },

  /** To the agent organisation's orderers and attestants: seed 001's last step, the provider telling the agent to connect the customer. */
  orderFulfilledAgent(
    data: { name: string; agentOrganisationName: string; customerOrganisationName: string; offeringName: string; instructions: string; link: string },
    language: Language = DEFAULT_LANGUAGE,
  ): RenderedMail {
    return render('order-fulfilled-agent', data, language);
  },

  /** To the orderer who withdrew it and to whoever was waiting to approve or attest it. */
  orderWithdrawn(
    data: { name: string; customerOrganisationName: string; offeringName: string; withdrawnBy: string; reason: string | null; link: string },
    language: Language = DEFAULT_LANGUAGE,
  ): RenderedMail {
    return render('order-withdrawn', data, language, { reasonLine: reasonLine(data.reason, language) });
  },

  /** To the orderer who submitted it, whoever was waiting to act, and the agent of an order via an agent. */
  orderCancelled(data: { name: string; customerOrganisationName: string; offeringName: string; reason: string; link: string }, language: Language = DEFAULT_LANGUAGE): RenderedMail {
    return render('order-cancelled', data, language);
  },

  /** To each of the application's three contacts. */
  customerApplicationRejected(
    data: { name: string; organisationName: string; organisationNumber: string; reason: string; link: string },
    language: Language = DEFAULT_LANGUAGE,
  ): RenderedMail {
    return render('customer-application-rejected', data, language);
  },

  /** Names the ticket by number and subject (the old portal's mails did not say which ticket). */
  ticketReply(data: { name: string; number: string; subject: string; body: string; author: string; link: string | null }, language: Language = DEFAULT_LANGUAGE): RenderedMail {
    // Accounts read and answer in the portal; the open form's requester only by e-mail.
    const howToAnswer = data.link
      ? translate(language, 'mail:ticket-reply.howToAnswerInPortal', { link: data.link })
      : translate(language, 'mail:ticket-reply.howToAnswerByMail', { number: data.number });
    return render('ticket-reply', data, language, { howToAnswer });
  },

  ticketReceived(data: { name: string; number: string; subject: string }, language: Language = DEFAULT_LANGUAGE): RenderedMail {
    return render('ticket-received', data, language);
  },

  accountActivated(data: { name: string; email: string; link: string }, language: Language = DEFAULT_LANGUAGE): RenderedMail {
    return render('account-activated', data, language);
  },

  registrationRejected(data: { name: string; reason: string }, language: Language = DEFAULT_LANGUAGE): RenderedMail {
    return render('registration-rejected', data, language);
  },

  passwordReset(data: { name: string; resetToken: string; link: string; expiresAt: string }, language: Language = DEFAULT_LANGUAGE): RenderedMail {
    return render('password-reset', data, language);
  },

  accountVerification(data: { name: string; username: string; verificationToken: string; link: string }, language: Language = DEFAULT_LANGUAGE): RenderedMail {
    return render('account-verification', data, language);
  },

  joinRequestReceived(data: { name: string; requesterName: string; requesterEmail: string; organisationName: string; link: string }, language: Language = DEFAULT_LANGUAGE): RenderedMail {
    return render('join-request', data, language);
  },

  joinRequestApproved(data: { name: string; organisationName: string; roles: string[]; link: string }, language: Language = DEFAULT_LANGUAGE): RenderedMail {
    const rolesNote = data.roles.length > 0 ? translate(language, 'mail:join-request-approved.rolesNote', { roles: roleNames(data.roles, language) }) : '';
    return render('join-request-approved', data, language, { rolesNote });
  },

  joinRequestDeclined(data: { name: string; organisationName: string; reason: string | null }, language: Language = DEFAULT_LANGUAGE): RenderedMail {
    return render('join-request-declined', data, language, { reasonLine: reasonLine(data.reason, language) });
  },

  /** The link opens the portal's invitation page, which has the invitee sign in with e-ID and join. */
  invitation(
    data: { name: string; organisationName: string; invitedBy: string; roles: string[]; invitationToken: string; link: string; expiresAt: string },
    language: Language = DEFAULT_LANGUAGE,
  ): RenderedMail {
    const rolesNote = data.roles.length > 0 ? translate(language, 'mail:invitation.rolesNote', { roles: roleNames(data.roles, language) }) : '';
    return render('invitation', data, language, { rolesNote });
  },

  emailVerification(data: { name: string; email: string; verificationToken: string; link: string }, language: Language = DEFAULT_LANGUAGE): RenderedMail {
    return render('email-verification', data, language);
  },
};

/** "Reason: …" on a line of its own, or nothing when none was given. */
function reasonLine(reason: string | null, language: Language): string {
  return reason ? translate(language, 'mail:shared.reasonLine', { reason }) : '';
}

/** Role names as the recipient's language says them, comma separated. */
function roleNames(roles: string[], language: Language): string {
  return roles.map((role) => translate(language, `mail:roles.${role}`, { defaultValue: role })).join(', ');
}
