/** The e-mails the service sends, rendered as plain text. Each names what it is about. */
export interface RenderedMail {
  template: string;
  subject: string;
  text: string;
  data: Record<string, unknown>;
}

export const templates = {
  organisationApprovedAdministrator(data: { name: string; organisationName: string; link: string }): RenderedMail {
    return {
      template: 'organisation-approved-administrator',
      subject: `${data.organisationName} is now a customer: your access to Kundportal`,
      text:
        `Hello ${data.name},\n\n${data.organisationName} has been approved as a customer and you are its administrator.\n` +
        `Sign in with BankID or Freja eID and create your account: ${data.link}\n\n` +
        `Once the customer agreement is signed, check that the roles orderer and attestant are held.\n`,
      data,
    };
  },

  agreementToSign(data: { name: string; organisationName: string; organisationId: string; link: string }): RenderedMail {
    return {
      template: 'agreement-to-sign',
      subject: `Customer agreement for ${data.organisationName} to sign`,
      text:
        `Hello ${data.name},\n\nYou are named as signatory for ${data.organisationName}.\n` +
        `Sign the customer agreement digitally with your e-ID here: ${data.link}\n`,
      data,
    };
  },

  agreementContactInformation(data: { name: string; organisationName: string }): RenderedMail {
    return {
      template: 'agreement-contact-information',
      subject: `${data.organisationName}: customer agreement on its way`,
      text:
        `Hello ${data.name},\n\n${data.organisationName} has been approved as a customer and you are its contact for the ` +
        `customer agreement. The signatory has been asked to sign it; we will keep you informed.\n`,
      data,
    };
  },
};
