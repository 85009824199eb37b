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
function render(template: string, data: Values, language: Language, extra: Values = {}): RenderedMail {
  const values = { ...data, ...extra } as Record<string, string | number | boolean | undefined>;
  return {
    template,
    subject: translate(language, `mail:${template}.subject`, values),
    text: translate(language, `mail:${template}.text`, values),
    data,
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
};
