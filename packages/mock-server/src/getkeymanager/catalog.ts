import { uuidFor } from "../core/ids.js";
import { done, type Fields, failure, type GkmResolver, text, timestamp } from "./answers.js";
import { assignedView, findProduct, newLicense } from "./licenses.js";
import { type Contract, type GetKeyManagerState, type Product, slugOf } from "./state.js";

const productView = ({ slug: _, ...product }: Product) => product;

function requireProduct(state: GetKeyManagerState, id: unknown, code: number): Product {
  const product = findProduct(state, id);
  if (!product) {
    throw code === 651
      ? failure(651, "Incorrect data found", { errors: { product_id: ["The selected product id is invalid."] } })
      : failure(code, code === 551 ? "Product doesn't exist" : "Product not found");
  }
  return product;
}

function productFields(input: Fields): Partial<Product> {
  return {
    source: String(input.source),
    name: String(input.name),
    description: String(input.description),
    require_non_expired: Number(input.require_non_expired) === 1 ? 1 : 0,
    external_reference: text(input, "external_reference") ?? "",
    status: String(input.status),
  };
}

/** Create and update answers print the contract's numbers as strings, as the reference shows. */
function contractAnswer(contract: Contract, state: GetKeyManagerState) {
  const asText = (value: number) => String(value);
  return {
    ...contract,
    product_id: asText(contract.product_id),
    license_keys_quantity: asText(contract.license_keys_quantity),
    can_get_info: asText(contract.can_get_info),
    can_generate: asText(contract.can_generate),
    can_destroy: asText(contract.can_destroy),
    can_destroy_all: asText(contract.can_destroy_all),
    license_keys_count: licensesOf(state, contract).length,
  };
}

const licensesOf = (state: GetKeyManagerState, contract: Contract) =>
  state.licenses.filter((license) => license.contract_id === contract.id);

function contractFields(state: GetKeyManagerState, input: Fields, except?: Contract): Partial<Contract> {
  const errors: Record<string, string> = {};
  const key = text(input, "contract_key");
  if (!key || state.contracts.some((contract) => contract !== except && contract.contract_key === key)) {
    errors.contract_key = "Contract key is required and must be unique.";
  }
  if (!findProduct(state, input.product_id)) errors.product_id = "Product Id must be a valid product Id.";
  if (Object.keys(errors).length > 0) throw failure(825, "Incorrect data found", { errors });
  const flag = (name: string) => (Number(input[name]) === 1 ? 1 : 0);
  return {
    name: String(input.contract_name),
    information: String(input.contract_information),
    contract_key: String(key),
    product_id: Number(input.product_id),
    license_keys_quantity: Number(input.license_keys_quantity),
    status: String(input.status),
    can_get_info: flag("can_get_info"),
    can_generate: flag("can_generate"),
    can_destroy: flag("can_destroy"),
    can_destroy_all: flag("can_destroy_all"),
  };
}

/** A contract of the legacy endpoints, by its key (`contract_uuid`): 1200 when there is none. */
function findLegacyContract(state: GetKeyManagerState, key: unknown): Contract {
  const contract = state.contracts.find((candidate) => candidate.contract_key === key);
  if (!contract) throw failure(1200, "Contract not found");
  return contract;
}

function findContract(state: GetKeyManagerState, by: (contract: Contract) => boolean): Contract {
  const contract = state.contracts.find(by);
  if (!contract) throw failure(844, "Contract not found");
  return contract;
}

export const catalogResolvers: Record<string, GkmResolver> = {
  listProducts: ({ state, now }) => done(now, 810, "All products", { products: state.products.map(productView) }),

  createProduct: ({ state, body, now }) => {
    const product = {
      id: state.nextId++,
      post_url: "",
      meta_data: [],
      created_at: timestamp(now),
      updated_at: timestamp(now),
      ...productFields(body as Fields),
    } as Product;
    product.slug = slugOf(product.name);
    state.products.push(product);
    return done(now, 750, "Product created", { product_id: product.id });
  },

  updateProduct: ({ state, body, now }) => {
    const product = requireProduct(state, (body as Fields).product_id, 651);
    Object.assign(product, productFields(body as Fields), { updated_at: timestamp(now) });
    return done(now, 650, "Product updated");
  },

  deleteProduct: ({ state, body, now }) => {
    const product = requireProduct(state, (body as Fields).product_id, 551);
    state.products.splice(state.products.indexOf(product), 1);
    return done(now, 550, "Product deleted");
  },

  createProductMeta: ({ state, body, now }) => {
    const input = body as Fields;
    const product = requireProduct(state, input.product_id, 274);
    const existing = product.meta_data.find((meta) => meta.key === input.key);
    if (existing) existing.value = String(input.value);
    else product.meta_data.push({ key: String(input.key), value: String(input.value) });
    return done(now, 273, "Product meta created");
  },

  updateProductMeta: ({ state, body, now }) => {
    const input = body as Fields;
    const meta = requireProduct(state, input.product_id, 374).meta_data.find((entry) => entry.key === input.key);
    if (!meta) throw failure(372, "Meta key doesn't exists");
    meta.value = String(input.value);
    return done(now, 373, "Product meta updated");
  },

  deleteProductMeta: ({ state, body, now }) => {
    const input = body as Fields;
    const product = requireProduct(state, input.product_id, 483);
    const index = product.meta_data.findIndex((entry) => entry.key === input.key);
    if (index === -1) throw failure(481, "Meta key doesn't exist");
    product.meta_data.splice(index, 1);
    return done(now, 482, "Product meta deleted");
  },

  getProductChangelog: ({ state, params, now }) => {
    const product = state.products.find((candidate) => candidate.slug === params.slug);
    if (!product) throw failure(551, "Product doesn't exist");
    const changelog = state.downloadables.filter((entry) => entry.product_id === product.id && entry.published === 1);
    return done(now, 1600, "Changelog retrieved", { changelog });
  },

  listGenerators: ({ state, now }) => done(now, 820, "All generators", { products: state.generators }),

  generateLicenseKeys: ({ state, body, now }) => {
    const input = body as Fields;
    const generator = state.generators.find((candidate) => candidate.id === Number(input.generator_id));
    if (!generator) throw failure(806, "Generator not found");
    const settings = { activation_limit: generator.activation_limit, validity: generator.validity };
    const licenseKeys = Array.from({ length: Number(input.quantity) }, () => {
      const key = `${generator.prefix}${uuidFor("generated", state.nextId)}${generator.suffix}`;
      return newLicense(state, generator.product_id, key, settings, now).license_key;
    });
    return done(now, 815, "Generated license keys", { licenseKeys });
  },

  listContracts: ({ state, now }) =>
    done(now, 846, "All contracts", {
      contracts: state.contracts.map((contract) => ({
        ...contract,
        license_keys_count: licensesOf(state, contract).length,
      })),
    }),

  createContract: ({ state, body, now }) => {
    const contract = {
      id: state.nextId++,
      ...contractFields(state, body as Fields),
      created_at: timestamp(now),
      updated_at: timestamp(now),
    } as Contract;
    state.contracts.push(contract);
    return done(now, 841, "contract created", { contract: contractAnswer(contract, state) });
  },

  updateContract: ({ state, body, now }) => {
    const input = body as Fields;
    const contract = findContract(state, (candidate) => candidate.id === Number(input.contract_id));
    Object.assign(contract, contractFields(state, input, contract), { updated_at: timestamp(now) });
    return done(now, 842, "contract updated", { contract: contractAnswer(contract, state) });
  },

  deleteContract: ({ state, body, now }) => {
    const input = body as Fields;
    const contract = findContract(state, (candidate) => candidate.id === Number(input.contract_id));
    state.contracts.splice(state.contracts.indexOf(contract), 1);
    return done(now, 843, "contract deleted");
  },

  // The legacy contract endpoints: documented requests, modelled answers.
  getContractInfo: ({ state, now }) =>
    done(now, 1204, "Contract found", {
      contracts: state.contracts.map((contract) => ({
        ...contract,
        license_keys_count: licensesOf(state, contract).length,
      })),
    }),

  generateContractLicenseKeys: ({ state, body, now }) => {
    const input = body as Fields;
    const contract = findLegacyContract(state, input.contract_uuid);
    const quantity = Number(input.quantity ?? 1);
    if (contract.can_generate !== 1) throw failure(1206, "The contract cannot generate license keys");
    if (licensesOf(state, contract).length + quantity > contract.license_keys_quantity) {
      throw failure(1205, "License keys limit reached");
    }
    const licenses = Array.from({ length: quantity }, () => {
      const license = newLicense(state, contract.product_id, uuidFor("contract", state.nextId), {}, now);
      license.contract_id = contract.id;
      return assignedView(license);
    });
    return done(now, 1300, "License keys generated", { license_keys: licenses });
  },

  destroyContractLicenseKey: ({ state, body, now }) => {
    const input = body as Fields;
    const license = state.licenses.find(
      (candidate) => candidate.license_key === input.license_key && candidate.contract_id !== null,
    );
    if (!license) throw failure(1401, "License key not found");
    const contract = state.contracts.find((candidate) => candidate.id === license.contract_id);
    if (contract?.can_destroy !== 1) throw failure(1200, "Contract not found");
    state.licenses.splice(state.licenses.indexOf(license), 1);
    return done(now, 1400, "License key deleted");
  },

  destroyAllContractLicenseKeys: ({ state, body, now }) => {
    const input = body as Fields;
    const contract = findLegacyContract(state, input.contract_uuid);
    if (contract.can_destroy_all !== 1) throw failure(1200, "Contract not found");
    const doomed = new Set(licensesOf(state, contract));
    if (doomed.size === 0) throw failure(1501, "No license keys found");
    const kept = state.licenses.filter((license) => !doomed.has(license));
    state.licenses.splice(0, state.licenses.length, ...kept);
    return done(now, 1500, "License keys deleted", { destroyed: doomed.size });
  },
};
